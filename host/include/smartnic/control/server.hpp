// The control socket of `smartnic serve`: a Unix stream socket, one thread, poll()-driven.
// Between requests it keeps ticking the ControlService, so completions are reaped, hairpins
// delivered and the simulator advanced while clients come and go.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "smartnic/control/service.hpp"

namespace smartnic::control {

class ControlServer {
 public:
  // Binds and listens on `socket_path`. When the path exists: a live server answering on it is
  // left alone and ControlError says so; a socket nobody listens on (left by a server that died)
  // is replaced; anything that is not a socket is left alone with an error.
  ControlServer(ControlService& service, std::string socket_path);
  // Closes every connection and removes the socket file, if it is still the one this server made.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Serves until request_stop() or a "shutdown" request. Errors of the device or the runtime
  // (NicProtocolError, DeviceError) propagate; the destructor still cleans up.
  void run();
  // Async-signal-safe and thread-safe: makes run() return soon.
  void request_stop() noexcept;

  const std::string& socket_path() const { return path_; }
  std::size_t connections() const;

  // How long run() sleeps in poll() when nothing is in flight (it still wakes on any request).
  std::chrono::milliseconds idle_poll{100};

 private:
  struct Impl;
  ControlService& service_;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartnic::control
