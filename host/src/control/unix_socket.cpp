#include "unix_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "smartnic/control/protocol.hpp"

namespace smartnic::control {

std::string default_socket_path() {
  const char* env = std::getenv(kSocketEnv);
  return env && *env ? env : kDefaultSocket;
}

namespace detail {

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns the message pointer (maybe not buf).
  return ::strerror_r(err, buf, sizeof buf);
}

void check_socket_path(const std::string& path) {
  if (path.empty()) throw ControlError("the socket path is empty");
  if (path.size() >= sizeof(sockaddr_un::sun_path)) {
    throw ControlError("socket path '" + path + "' is " + std::to_string(path.size()) +
                       " bytes; Unix sockets allow at most " + std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                       ": choose a shorter path");
  }
}

ConnectResult connect_unix(const std::string& path) {
  check_socket_path(path);
  ConnectResult r;
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) {
    r.error = errno;
    return r;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    r.error = errno;
    return r;
  }
  r.fd = std::move(fd);
  return r;
}

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    throw ControlError("cannot make a socket non-blocking: " + errno_text(errno));
  }
}

}  // namespace detail
}  // namespace smartnic::control
