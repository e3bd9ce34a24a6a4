// The message of a boost::program_options error, safe for any user input.
//
// Boost.Program_options (1.74) makes error_with_option_name::what() by replacing %placeholders%
// (%canonical_option%, %value%, ...) in a template until none is left. A word the user typed
// that itself contains a placeholder (`--bogus%value%`, `--mtu %canonical_option%`) is put back
// into the message by the replacement, so what() never returns: the CLI hung on such a typo.
// po_error_text() first replaces every '%' in the user's words held by the error with '?' and
// then asks for the message.
#pragma once

#include <boost/program_options/errors.hpp>
#include <map>
#include <string>

namespace smartnic::cli {

namespace detail {
// Reads the protected substitution map through a pointer to member (allowed when named through
// a derived class); the map holds the option name, original token and value the user typed.
struct PoSubstitutions : boost::program_options::error_with_option_name {
  using Map = std::map<std::string, std::string>;
  static Map boost::program_options::error_with_option_name::*member() { return &PoSubstitutions::m_substitutions; }
};
}  // namespace detail

inline std::string po_error_text(boost::program_options::error& e) {
  if (auto* named = dynamic_cast<boost::program_options::error_with_option_name*>(&e)) {
    const auto words = named->*detail::PoSubstitutions::member();  // a copy: set_substitute changes the map
    for (auto [name, value] : words) {
      if (value.find('%') == std::string::npos) continue;
      for (auto& c : value) {
        if (c == '%') c = '?';
      }
      named->set_substitute(name, value);
    }
  }
  return e.what();
}

}  // namespace smartnic::cli
