#include "size_range.hpp"

#include "smartnic/errors.hpp"

namespace smartnic::cli {

namespace {
// Plain decimal digits, at most 9 (std::stoul would take "-5" as a huge number, and " 5").
bool digits_value(std::string_view s, std::size_t& v) {
  if (s.empty() || s.size() > 9) return false;
  v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}
}  // namespace

std::pair<std::size_t, std::size_t> parse_size_range(const std::string& text, std::string_view option) {
  auto bad = [&] {
    return ConfigError(std::string(option) + " '" + text + "': expected MIN[:MAX] in bytes, e.g. 64:1500");
  };
  auto number = [&](std::string_view s) {
    std::size_t v = 0;
    if (!digits_value(s, v)) throw bad();
    return v;
  };
  const std::string_view all(text);
  const auto colon = all.find(':');
  if (colon == std::string_view::npos) {
    const std::size_t n = number(all);
    return {n, n};
  }
  return {number(all.substr(0, colon)), number(all.substr(colon + 1))};
}

std::vector<std::size_t> parse_size_list(const std::string& text, std::string_view option) {
  std::vector<std::size_t> out;
  std::string_view rest(text);
  for (;;) {
    const auto comma = rest.find(',');
    std::size_t v = 0;
    if (!digits_value(rest.substr(0, comma), v)) {
      throw ConfigError(std::string(option) + " '" + text +
                        "': expected sizes in bytes separated by commas, e.g. 64,1500");
    }
    out.push_back(v);
    if (comma == std::string_view::npos) return out;
    rest.remove_prefix(comma + 1);
  }
}

}  // namespace smartnic::cli
