// A small JSON value for the control protocol (one object per line). Written here instead of
// taking a library so the runtime stays dependency-free; it covers what the protocol needs:
// null, bool, 64-bit integers (counters must not round through double), doubles, strings,
// arrays and objects. Objects keep insertion order so human-facing dumps read naturally.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "smartnic/errors.hpp"

namespace smartnic::control {

// Malformed JSON text, or a value of the wrong type where the protocol expects another.
class JsonError : public Error {
 public:
  using Error::Error;
};

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool b) : v_(b) {}
  Json(int i) : v_(std::int64_t{i}) {}
  Json(unsigned i) : v_(std::int64_t{i}) {}
  Json(long i) : v_(std::int64_t{i}) {}
  Json(unsigned long i) : v_(static_cast<std::int64_t>(i)) {}
  Json(long long i) : v_(std::int64_t{i}) {}
  Json(unsigned long long i) : v_(static_cast<std::int64_t>(i)) {}
  Json(double d) : v_(d) {}
  Json(const char* s) : v_(std::string(s)) {}
  Json(std::string s) : v_(std::move(s)) {}
  Json(std::string_view s) : v_(std::string(s)) {}
  Json(Array a) : v_(std::move(a)) {}
  Json(Object o) : v_(std::move(o)) {}
  static Json object() { return Json(Object{}); }
  static Json array() { return Json(Array{}); }

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v_); }
  bool is_bool() const { return std::holds_alternative<bool>(v_); }
  bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
  bool is_number() const { return is_int() || std::holds_alternative<double>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_array() const { return std::holds_alternative<Array>(v_); }
  bool is_object() const { return std::holds_alternative<Object>(v_); }

  // Typed access; JsonError names the expected type when the value has another.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_double() const;  // integers convert
  const std::string& as_string() const;
  const Array& as_array() const;
  Array& as_array();
  const Object& as_object() const;
  Object& as_object();

  // Object member or nullptr (also when this is not an object).
  const Json* find(std::string_view key) const;
  // Object member; a null Json when absent.
  const Json& operator[](std::string_view key) const;
  // Sets (replacing) an object member; turns a null into an object. Returns *this for chaining.
  Json& set(std::string_view key, Json value);
  // Appends to an array; turns a null into an array.
  Json& push(Json value);

  // Compact, one line, no trailing newline: the wire format.
  std::string dump() const;
  // Throws JsonError naming the byte offset and what was expected.
  static Json parse(std::string_view text);

  bool operator==(const Json&) const = default;

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> v_;
};

}  // namespace smartnic::control
