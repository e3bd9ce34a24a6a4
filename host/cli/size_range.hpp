// "MIN[:MAX]" byte counts on the command line (`smartnic sim --size`, `smartnic run --gen-size`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smartnic::cli {

// "256" gives {256, 256}, "64:1500" gives {64, 1500}. Each number is plain decimal digits (no
// sign, no spaces, at most 9 digits); anything else is a ConfigError naming `option` and the
// text. Whether the sizes are sensible (MIN <= MAX, within a datagram's limits) is the caller's.
std::pair<std::size_t, std::size_t> parse_size_range(const std::string& text, std::string_view option);
// "64,128,1500": at least one size, the same digits-only rule for each (`smartnic bench --sizes`).
std::vector<std::size_t> parse_size_list(const std::string& text, std::string_view option);

}  // namespace smartnic::cli
