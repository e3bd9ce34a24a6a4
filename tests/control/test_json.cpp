// The protocol's JSON: round trips, escapes, 64-bit counters, and errors that say where.
#include <gtest/gtest.h>

#include "smartnic/control/json.hpp"

namespace smartnic::control {
namespace {

TEST(Json, RoundTripKeepsTypesOrderAndBigIntegers) {
  Json j = Json::object();
  j.set("cmd", "vm.add").set("n", std::uint64_t{1} << 62).set("neg", -5).set("f", 0.25).set("b", true).set("z", nullptr);
  j.set("ips", Json::array().push("10.0.0.1").push("10.0.0.2"));
  const std::string text = j.dump();
  EXPECT_EQ(text, R"({"cmd":"vm.add","n":4611686018427387904,"neg":-5,"f":0.25,"b":true,"z":null,"ips":["10.0.0.1","10.0.0.2"]})");
  const Json back = Json::parse(text);
  EXPECT_EQ(back, j);
  EXPECT_EQ(back["n"].as_int(), std::int64_t{1} << 62);
  EXPECT_TRUE(back["missing"].is_null());
}

// Found by tests/fuzz/fuzz_json: an integral double (2e10, a rate of 2.0) was dumped as "2" and
// came back as an integer.
TEST(Json, IntegralDoublesStayDoubles) {
  for (const double d : {2.0, 2e10, -0.0, 0.0, -7.0}) {
    const Json j(d);
    const Json back = Json::parse(j.dump());
    EXPECT_FALSE(back.is_int()) << j.dump();
    EXPECT_EQ(back, j) << j.dump();
  }
  EXPECT_EQ(Json(2.0).dump(), "2.0");
  EXPECT_EQ(Json(2).dump(), "2");
  EXPECT_EQ(Json::parse("[2e10]").dump(), "[20000000000.0]");
}

TEST(Json, StringsEscapeToOneLineAndDecodeUnicode) {
  const Json s(std::string("a\"b\\c\nd\x01"));
  EXPECT_EQ(s.dump(), R"("a\"b\\c\nd\u0001")");
  EXPECT_EQ(Json::parse(s.dump()), s);
  EXPECT_EQ(Json::parse(R"("\u00e9\ud83d\ude00")").as_string(), "\xc3\xa9\xf0\x9f\x98\x80");
}

// Found by tests/fuzz/fuzz_json: a lone surrogate became bytes that are not UTF-8, and a high
// surrogate swallowed the escape after it ("\ud800\u0041" lost the 'A').
TEST(Json, LoneSurrogatesAreRejected) {
  for (const char* bad : {R"("\ud800")", R"("\ude00")", R"("a\ud83dx")", R"("\ud800\u0041")", R"("\ud800\ud800")"}) {
    EXPECT_THROW(Json::parse(bad), JsonError) << bad;
  }
  EXPECT_EQ(Json::parse(R"("\udbff\udfff")").as_string(), "\xf4\x8f\xbf\xbf");  // U+10FFFF, the last pair
}

TEST(Json, ErrorsNameTheOffsetAndTheExpectation) {
  for (const char* bad : {"", "{", "{\"a\" 1}", "[1,]", "\"open", "tru", "{} x", "-", "01x"}) {
    EXPECT_THROW(Json::parse(bad), JsonError) << bad;
  }
  try {
    Json::parse("{\"a\":1,}");
    FAIL();
  } catch (const JsonError& e) {
    EXPECT_NE(std::string(e.what()).find("byte 7"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Json::parse(std::string(100, '[') + std::string(100, ']')), JsonError) << "unbounded nesting";
  EXPECT_THROW(Json(3).as_string(), JsonError);
}

}  // namespace
}  // namespace smartnic::control
