// Exceptions of the host runtime. Every one derives from smartnic::Error (a std::runtime_error),
// so a CLI or test can catch the whole family in one place; the subclasses say who must act:
// the user (ConfigError), the device or its driver (IncompatibleDevice, NicProtocolError),
// or the caller's patience (DrainTimeout). Messages name the value found and what was expected.
#pragma once

#include <stdexcept>

namespace smartnic {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request the runtime refuses: bad address text, duplicate VM name or address, no free VM
// slot, a full table, ring sizes out of range. Nothing was changed when it is thrown.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// The opened device is not a SmartNIC this runtime speaks to (ID or major version differ).
class IncompatibleDevice : public Error {
 public:
  using Error::Error;
};

// The NIC broke its contract (unknown verdict, a completion for a descriptor that was never
// posted, out-of-order ring index). Accounting can no longer be trusted after this.
class NicProtocolError : public Error {
 public:
  using Error::Error;
};

// drain() gave up with datagrams still in flight; the message lists them per VM.
class DrainTimeout : public Error {
 public:
  using Error::Error;
};

}  // namespace smartnic
