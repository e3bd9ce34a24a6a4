#include "smartnic/control/client.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "unix_socket.hpp"

namespace smartnic::control {

using detail::errno_text;
using detail::UniqueFd;

struct ControlClient::Impl {
  UniqueFd fd;
  std::string in;  // bytes received after the last answered line
};

namespace {

std::string no_server(const std::string& path, const std::string& why) {
  return "no server on " + path + " (" + why + "): start one with `smartnic serve --socket " + path + "`";
}

}  // namespace

ControlClient::ControlClient(std::string socket_path, std::chrono::milliseconds answer_timeout)
    : path_(std::move(socket_path)), timeout_(answer_timeout), impl_(std::make_unique<Impl>()) {
  auto r = detail::connect_unix(path_);
  switch (r.error) {
    case 0:
      break;
    case ENOENT:
      throw ControlError(no_server(path_, "no such socket"));
    case ECONNREFUSED:
      throw ControlError(no_server(path_, "connection refused; the socket file is left over from a server that exited"));
    case EACCES:
    case EPERM:
      throw ControlError("cannot connect to " + path_ + ": permission denied (run as the user that started "
                         "`smartnic serve`, or as root)");
    case ENOTSOCK:
      throw ControlError(path_ + " is not a socket: pass the path `smartnic serve` listens on with --socket");
    default:
      throw ControlError("cannot connect to " + path_ + ": " + errno_text(r.error));
  }
  impl_->fd = std::move(r.fd);
}

ControlClient::~ControlClient() = default;
ControlClient::ControlClient(ControlClient&&) noexcept = default;
ControlClient& ControlClient::operator=(ControlClient&&) noexcept = default;

Json ControlClient::call(const Json& request) {
  if (!impl_->fd) throw ControlError("the connection to " + path_ + " was lost earlier");
  const std::string line = request.dump() + '\n';
  auto lost = [&](const std::string& why) {
    impl_->fd.reset();
    return ControlError("lost the connection to the server on " + path_ + " (" + why +
                        "): did it exit or crash? Check it and start it again with `smartnic serve`");
  };
  for (std::size_t sent = 0; sent < line.size();) {
    const ssize_t n = ::send(impl_->fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw lost(errno_text(errno));
    sent += static_cast<std::size_t>(n);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::size_t nl;
  while ((nl = impl_->in.find('\n')) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      impl_->fd.reset();
      throw ControlError("the server on " + path_ + " did not answer within " +
                         std::to_string(timeout_.count()) + " ms");
    }
    pollfd p{impl_->fd.get(), POLLIN, 0};
    const int pr = ::poll(&p, 1, static_cast<int>(left.count()));
    if (pr < 0 && errno == EINTR) continue;
    if (pr < 0) throw lost(errno_text(errno));
    if (pr == 0) continue;
    char buf[65536];
    const ssize_t n = ::recv(impl_->fd.get(), buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw lost(errno_text(errno));
    if (n == 0) throw lost("it closed the connection before answering");
    impl_->in.append(buf, static_cast<std::size_t>(n));
    if (impl_->in.size() > kMaxLine) throw lost("answer longer than " + std::to_string(kMaxLine) + " bytes");
  }
  const std::string answer = impl_->in.substr(0, nl);
  impl_->in.erase(0, nl + 1);
  Json response;
  try {
    response = Json::parse(answer);
  } catch (const JsonError& e) {
    throw ControlError("the server on " + path_ + " sent something that is not a protocol answer (" +
                       e.what() + "); is it a smartnic server?");
  }
  if (!response.is_object() || !response["ok"].is_bool()) {
    throw ControlError("the server on " + path_ + " sent an answer without \"ok\"; is it a smartnic server?");
  }
  return response;
}

Json ControlClient::request(const Json& req) {
  Json response = call(req);
  if (!response["ok"].as_bool()) {
    const Json& err = response["error"];
    throw RequestError(err.is_string() ? err.as_string() : "the server refused the request without a reason");
  }
  return response["result"];
}

}  // namespace smartnic::control
