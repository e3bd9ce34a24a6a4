#include "smartnic/control/json.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace smartnic::control {

namespace {

const Json kNull;

[[noreturn]] void wrong_type(const char* want) { throw JsonError(std::string("expected a JSON ") + want); }

void dump_string(std::string& out, const std::string& s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {  // the wire format is one line: no raw control characters
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// Recursive descent over the whole text; `pos` is where the next token starts.
class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Json document() {
    Json v = value(0);
    skip_ws();
    if (pos_ != t_.size()) fail("end of text");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 64;  // the protocol nests 3 deep; bound recursion on bad input

  [[noreturn]] void fail(const std::string& expected) const {
    throw JsonError("bad JSON at byte " + std::to_string(pos_) + ": expected " + expected);
  }
  void skip_ws() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r')) ++pos_;
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < t_.size() && t_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("'") + c + "'");
  }
  bool word(std::string_view w) {
    if (t_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  Json value(int depth) {
    if (depth > kMaxDepth) fail("less nesting");
    skip_ws();
    if (pos_ >= t_.size()) fail("a value");
    const char c = t_[pos_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return Json(string());
    if (word("true")) return Json(true);
    if (word("false")) return Json(false);
    if (word("null")) return Json();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    fail("a value");
  }

  Json object(int depth) {
    ++pos_;
    Json o = Json::object();
    if (eat('}')) return o;
    do {
      skip_ws();
      if (pos_ >= t_.size() || t_[pos_] != '"') fail("a member name");
      std::string key = string();
      expect(':');
      o.set(key, value(depth + 1));
    } while (eat(','));
    expect('}');
    return o;
  }

  Json array(int depth) {
    ++pos_;
    Json a = Json::array();
    if (eat(']')) return a;
    do {
      a.push(value(depth + 1));
    } while (eat(','));
    expect(']');
    return a;
  }

  unsigned hex4() {
    if (pos_ + 4 > t_.size()) fail("4 hex digits");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = t_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
      else fail("a hex digit");
    }
    return v;
  }

  static void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string string() {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= t_.size()) fail("closing '\"'");
      const char c = t_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("no control character inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= t_.size()) fail("an escape");
      switch (t_[pos_++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = hex4();
          // A surrogate is only valid as a high-low pair; alone it has no UTF-8 form, and a high
          // one followed by anything else used to swallow that escape into a bogus code point.
          if (cp >= 0xDC00 && cp < 0xE000) fail("a high surrogate \\uD800-\\uDBFF before a low one");
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (!word("\\u")) fail("a low surrogate \\uDC00-\\uDFFF after a high one");
            const unsigned lo = hex4();
            if (lo < 0xDC00 || lo >= 0xE000) fail("a low surrogate \\uDC00-\\uDFFF after a high one");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8(out, cp);
          break;
        }
        default:
          --pos_;
          fail("a valid escape");
      }
    }
  }

  Json number() {
    const std::size_t start = pos_;
    bool is_float = false;
    if (t_[pos_] == '-') ++pos_;
    while (pos_ < t_.size()) {
      const char c = t_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || (c == '-' && is_float)) {
        is_float = true;
        ++pos_;
      } else {
        break;
      }
    }
    const std::string text(t_.substr(start, pos_ - start));
    char* end = nullptr;
    if (!is_float) {
      errno = 0;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (end == text.c_str() + text.size() && errno == 0) return Json(v);
    }
    const double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || text == "-") {
      pos_ = start;
      fail("a number");
    }
    return Json(d);
  }

  std::string_view t_;
  std::size_t pos_ = 0;
};

void dump_to(std::string& out, const Json& j) {
  if (j.is_null()) {
    out += "null";
  } else if (j.is_bool()) {
    out += j.as_bool() ? "true" : "false";
  } else if (j.is_int()) {
    out += std::to_string(j.as_int());
  } else if (j.is_number()) {
    const double d = j.as_double();
    if (!std::isfinite(d)) {
      out += "null";  // JSON has no NaN or infinity
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", d);
      out += buf;
      // %g prints 2.0 as "2", which parses back as an integer: keep a double a double.
      if (std::string_view(buf).find_first_of(".eE") == std::string_view::npos) out += ".0";
    }
  } else if (j.is_string()) {
    dump_string(out, j.as_string());
  } else if (j.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& e : j.as_array()) {
      if (!first) out += ',';
      first = false;
      dump_to(out, e);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : j.as_object()) {
      if (!first) out += ',';
      first = false;
      dump_string(out, k);
      out += ':';
      dump_to(out, v);
    }
    out += '}';
  }
}

}  // namespace

bool Json::as_bool() const {
  if (const auto* b = std::get_if<bool>(&v_)) return *b;
  wrong_type("boolean");
}
std::int64_t Json::as_int() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  wrong_type("integer");
}
double Json::as_double() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  wrong_type("number");
}
const std::string& Json::as_string() const {
  if (const auto* s = std::get_if<std::string>(&v_)) return *s;
  wrong_type("string");
}
const Json::Array& Json::as_array() const {
  if (const auto* a = std::get_if<Array>(&v_)) return *a;
  wrong_type("array");
}
Json::Array& Json::as_array() {
  if (auto* a = std::get_if<Array>(&v_)) return *a;
  wrong_type("array");
}
const Json::Object& Json::as_object() const {
  if (const auto* o = std::get_if<Object>(&v_)) return *o;
  wrong_type("object");
}
Json::Object& Json::as_object() {
  if (auto* o = std::get_if<Object>(&v_)) return *o;
  wrong_type("object");
}

const Json* Json::find(std::string_view key) const {
  const auto* o = std::get_if<Object>(&v_);
  if (!o) return nullptr;
  for (const auto& [k, v] : *o) {
    if (k == key) return &v;
  }
  return nullptr;
}

const Json& Json::operator[](std::string_view key) const {
  const Json* j = find(key);
  return j ? *j : kNull;
}

Json& Json::set(std::string_view key, Json value) {
  if (is_null()) v_ = Object{};
  auto& o = as_object();
  for (auto& [k, v] : o) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  o.emplace_back(std::string(key), std::move(value));
  return *this;
}

Json& Json::push(Json value) {
  if (is_null()) v_ = Array{};
  as_array().push_back(std::move(value));
  return *this;
}

std::string Json::dump() const {
  std::string out;
  dump_to(out, *this);
  return out;
}

Json Json::parse(std::string_view text) { return Parser(text).document(); }

}  // namespace smartnic::control
