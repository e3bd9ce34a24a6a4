#include "smartnic/endpoints/endpoint.hpp"

#include <poll.h>

#include <cerrno>
#include <climits>

namespace smartnic::endpoints {

bool wait_readable(std::span<Endpoint* const> endpoints, std::chrono::milliseconds timeout) {
  std::vector<pollfd> fds;
  fds.reserve(endpoints.size());
  for (const Endpoint* e : endpoints) {
    const int fd = e->poll_fd();
    if (fd < 0) return true;  // always ready
    fds.push_back(pollfd{fd, POLLIN, 0});
  }
  const int ms = static_cast<int>(std::min<long long>(timeout.count(), INT_MAX));
  const int n = ::poll(fds.data(), fds.size(), ms);
  return n > 0 || (n < 0 && errno == EINTR);
}

}  // namespace smartnic::endpoints
