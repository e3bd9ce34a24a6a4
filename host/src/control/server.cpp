#include "smartnic/control/server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <optional>

#include "smartnic/control/protocol.hpp"
#include "unix_socket.hpp"

namespace smartnic::control {

using detail::errno_text;
using detail::UniqueFd;

namespace {

struct Connection {
  UniqueFd fd;
  std::string in;
  std::string out;
  bool closing = false;  // peer sent EOF or broke the protocol: close once `out` is written
};

// The socket file this server created, identified by inode so that we never unlink a socket a
// later server created at the same path after ours was replaced.
class SocketFile {
 public:
  SocketFile(std::string path, ino_t ino, dev_t dev) : path_(std::move(path)), ino_(ino), dev_(dev), owned_(true) {}
  ~SocketFile() {
    struct stat st{};
    if (owned_ && ::lstat(path_.c_str(), &st) == 0 && st.st_ino == ino_ && st.st_dev == dev_) ::unlink(path_.c_str());
  }
  SocketFile(const SocketFile&) = delete;
  SocketFile& operator=(const SocketFile&) = delete;

 private:
  std::string path_;
  ino_t ino_ = 0;
  dev_t dev_ = 0;
  bool owned_ = false;
};

UniqueFd listen_on(const std::string& path) {
  detail::check_socket_path(path);
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      throw ControlError(path + " exists and is not a socket; refusing to replace it: remove it or choose another --socket");
    }
    auto probe = detail::connect_unix(path);
    if (probe.error == 0) {
      throw ControlError("another smartnic server is already running on " + path +
                         " (it accepted a connection): stop it first (`smartnic shutdown --socket " + path +
                         "`) or choose another --socket");
    }
    if (probe.error != ECONNREFUSED) {
      throw ControlError("cannot tell whether a server is running on " + path + ": " + errno_text(probe.error));
    }
    // Nobody listens: a socket left behind by a server that died. Replace it.
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      throw ControlError("cannot remove the stale socket " + path + ": " + errno_text(errno));
    }
  }
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) throw ControlError("cannot create a Unix socket: " + errno_text(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    throw ControlError("cannot bind the control socket " + path + ": " + errno_text(err) +
                       (err == EACCES || err == ENOENT ? " (does the directory exist and may you write it? pass "
                                                         "--socket PATH or set SMARTNIC_SOCKET)"
                                                       : ""));
  }
  if (::listen(fd.get(), 16) != 0) throw ControlError("cannot listen on " + path + ": " + errno_text(errno));
  return fd;
}

}  // namespace

struct ControlServer::Impl {
  UniqueFd listener;
  std::optional<SocketFile> file;
  UniqueFd wake_read, wake_write;  // self-pipe: request_stop() writes one byte
  std::atomic<bool> stop{false};
  std::list<Connection> conns;
};

ControlServer::ControlServer(ControlService& service, std::string socket_path)
    : service_(service), path_(std::move(socket_path)), impl_(std::make_unique<Impl>()) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) throw ControlError("cannot create a pipe: " + errno_text(errno));
  impl_->wake_read = UniqueFd(pipe_fds[0]);
  impl_->wake_write = UniqueFd(pipe_fds[1]);
  impl_->listener = listen_on(path_);
  struct stat st{};
  if (::lstat(path_.c_str(), &st) == 0) impl_->file.emplace(path_, st.st_ino, st.st_dev);
}

ControlServer::~ControlServer() = default;  // Impl's members close fds and unlink the socket

std::size_t ControlServer::connections() const { return impl_->conns.size(); }

void ControlServer::request_stop() noexcept {
  impl_->stop.store(true);
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(impl_->wake_write.get(), &byte, 1);  // full pipe = already woken
}

void ControlServer::run() {
  Impl& im = *impl_;
  bool busy = false;
  while (!im.stop.load() && !service_.shutdown_requested()) {
    std::vector<pollfd> fds;
    fds.push_back({im.listener.get(), POLLIN, 0});
    fds.push_back({im.wake_read.get(), POLLIN, 0});
    for (const Connection& c : im.conns) {
      fds.push_back({c.fd.get(), static_cast<short>((c.closing ? 0 : POLLIN) | (c.out.empty() ? 0 : POLLOUT)), 0});
    }
    const int timeout = busy ? 0 : static_cast<int>(idle_poll.count());
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
      throw ControlError("poll on the control socket failed: " + errno_text(errno));
    }
    if (fds[1].revents & POLLIN) {
      char buf[64];
      while (::read(im.wake_read.get(), buf, sizeof buf) > 0) {
      }
    }
    if (fds[0].revents & POLLIN) {
      for (;;) {
        UniqueFd c(::accept4(im.listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!c) break;
        im.conns.push_back(Connection{std::move(c), {}, {}, false});
      }
    }
    std::size_t i = 2;
    for (auto it = im.conns.begin(); it != im.conns.end(); ++i) {
      Connection& c = *it;
      const short ev = i < fds.size() ? fds[i].revents : 0;
      bool drop = (ev & (POLLERR | POLLNVAL)) != 0;
      if (!drop && (ev & (POLLIN | POLLHUP)) && !c.closing) {
        char buf[65536];
        const ssize_t n = ::recv(c.fd.get(), buf, sizeof buf, 0);
        if (n > 0) {
          c.in.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          c.closing = true;  // answer what is complete, then close
        }
        // Answer every complete line, in order.
        for (std::size_t nl; (nl = c.in.find('\n')) != std::string::npos;) {
          const std::string line = c.in.substr(0, nl);
          c.in.erase(0, nl + 1);
          if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
          c.out += service_.handle_line(line).dump() + '\n';
        }
        if (c.in.size() > kMaxLine) {
          c.out += Json::object().set("ok", false).set("error", "request line longer than " + std::to_string(kMaxLine) + " bytes").dump() + '\n';
          c.in.clear();
          c.closing = true;
        }
      }
      while (!drop && !c.out.empty()) {
        const ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
          c.out.erase(0, static_cast<std::size_t>(n));
        } else {
          if (n < 0 && errno != EAGAIN && errno != EINTR) drop = true;  // peer gone
          break;
        }
      }
      if (drop || (c.closing && c.out.empty())) {
        it = im.conns.erase(it);
      } else {
        ++it;
      }
    }
    busy = service_.tick();
  }
  // Deliver the answer to "shutdown" (best effort: the sockets are non-blocking).
  for (Connection& c : im.conns) {
    if (!c.out.empty()) [[maybe_unused]] auto n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
  }
}

}  // namespace smartnic::control
