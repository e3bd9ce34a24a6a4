// Aligned columns for human-readable CLI output: text left-aligned, numbers right-aligned, two
// spaces between columns, so `smartnic vm list` and `stats` read like `ip -s link` tables.
#pragma once

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

namespace smartnic::cli {

class TextTable {
 public:
  // `numeric[i]`: right-align column i (counts, slots); missing entries mean left-aligned text.
  explicit TextTable(std::vector<std::string> headers, std::vector<bool> numeric = {})
      : rows_{std::move(headers)}, numeric_(std::move(numeric)) {}

  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.size() == 1; }

  void print(std::ostream& out) const {
    std::vector<std::size_t> width;
    for (const auto& r : rows_) {
      width.resize(std::max(width.size(), r.size()));
      for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    }
    for (const auto& r : rows_) {
      std::string line;
      for (std::size_t c = 0; c < r.size(); ++c) {
        const std::string pad(width[c] - r[c].size(), ' ');
        const bool right = c < numeric_.size() && numeric_[c];
        if (c > 0) line += "  ";
        line += right ? pad + r[c] : (c + 1 == r.size() ? r[c] : r[c] + pad);  // no trailing blanks
      }
      out << line << '\n';
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> numeric_;
};

}  // namespace smartnic::cli
