// Test support for the endpoint tests that need root and network namespaces: a fixture that
// skips (with the reason) where namespaces cannot be made, gives every test unique names under
// the prefix "snic-t<pid>-", and after each test checks that no namespace or link with that
// prefix remains (removing any it finds, so one failure does not leak into the machine).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "smartnic/endpoints/netns.hpp"
#include "smartnic/endpoints/tuntap.hpp"

namespace smartnic::endpoints::test {

// Empty when namespaces, TUN/TAP and `ip` are usable here; otherwise why not.
const std::optional<std::string>& netns_unavailable_reason();

std::string test_prefix();         // "snic-t<pid>-"  (namespaces)
std::string test_device_prefix();  // "st<pid>-"      (devices; at most 15 characters in all)

// Namespaces and root-namespace links whose names carry this process's prefixes.
std::vector<std::string> leftover_namespaces();
std::vector<std::string> leftover_links();

class NetnsTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // A fresh namespace / device name for this test.
  std::string ns_name(const std::string& tag);
  std::string dev_name();

 private:
  bool skipped_ = false;
};

}  // namespace smartnic::endpoints::test
