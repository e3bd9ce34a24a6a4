// The control protocol between `smartnic serve` and its clients, over a Unix stream socket.
//
// One JSON object per line in each direction, UTF-8, '\n'-terminated; a connection may carry
// any number of requests, answered in order. A request names its command in "cmd":
//   {"cmd":"vm.add","name":"a","ips":["10.0.0.1"],"tx_ring_log2":8}
// and is answered with either
//   {"ok":true,"result":{...}}      or      {"ok":false,"error":"what went wrong and what to do"}
// Commands and their fields are listed in host/README.md (section "Control protocol") and
// implemented in ControlService::handle. Requests are handled one at a time by one thread, so
// each is atomic with respect to the others.
#pragma once

#include <cstddef>
#include <string>

#include "smartnic/errors.hpp"

namespace smartnic::control {

// The client could not talk to a server: no socket, nobody listening, connection lost, no
// answer in time, or an answer that is not the protocol. The message says which and what to do.
class ControlError : public Error {
 public:
  using Error::Error;
};

// The server understood the request and refused it; the message is the server's.
class RequestError : public Error {
 public:
  using Error::Error;
};

inline constexpr const char* kDefaultSocket = "/run/smartnic.sock";
// The environment variable that overrides kDefaultSocket (tests and unprivileged users).
inline constexpr const char* kSocketEnv = "SMARTNIC_SOCKET";
// Longest request or response line accepted; a longer one is a protocol error, not a hang.
inline constexpr std::size_t kMaxLine = 4 << 20;

// $SMARTNIC_SOCKET when set and not empty, else /run/smartnic.sock.
std::string default_socket_path();

}  // namespace smartnic::control
