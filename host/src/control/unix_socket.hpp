// RAII file descriptors and the few Unix-socket calls the control client and server share.
// Private to the control library.
#pragma once

#include <string>
#include <utility>

namespace smartnic::control::detail {

// Owns one file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

// Result of trying to connect to a socket path: the connected fd, or errno of connect()/socket().
struct ConnectResult {
  UniqueFd fd;
  int error = 0;
};
ConnectResult connect_unix(const std::string& path);

// Throws ControlError when the path does not fit in sockaddr_un::sun_path.
void check_socket_path(const std::string& path);

void set_nonblocking(int fd);

// "text of errno" (strerror), thread-safe.
std::string errno_text(int err);

}  // namespace smartnic::control::detail
