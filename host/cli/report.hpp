// Printing of scenario results: the per-VM statistics table, totals and the accounting check.
#pragma once

#include <ostream>

#include "smartnic/scenario.hpp"

namespace smartnic::cli {

void print_report(std::ostream& out, const ScenarioResult& result);

}  // namespace smartnic::cli
