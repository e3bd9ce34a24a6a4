// Client side of the control protocol: one connection to `smartnic serve`, blocking calls.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "smartnic/control/json.hpp"
#include "smartnic/control/protocol.hpp"

namespace smartnic::control {

class ControlClient {
 public:
  // Connects at once. Throws ControlError saying why there is no server and how to start one
  // (no socket file, connection refused = stale socket of a dead server, permission denied).
  explicit ControlClient(std::string socket_path,
                         std::chrono::milliseconds answer_timeout = std::chrono::seconds(60));
  ~ControlClient();
  ControlClient(ControlClient&&) noexcept;
  ControlClient& operator=(ControlClient&&) noexcept;

  // Sends one request and returns the whole response object ({"ok":...}). Throws ControlError
  // when the connection is lost, the server does not answer within the timeout, or the answer
  // is not a protocol response.
  Json call(const Json& request);
  // call(), then the "result" member; throws RequestError with the server's message when the
  // server refused the request.
  Json request(const Json& request);

  const std::string& socket_path() const { return path_; }

 private:
  struct Impl;
  std::string path_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartnic::control
