// How wrike-cascade exposes asynchronous operations (the Asio way).
//
// Every public async_* function takes a completion token: a callback
// `void(std::exception_ptr, T)`, `boost::asio::use_future`, `boost::asio::use_awaitable`,
// `boost::asio::deferred`, ... The work itself lives in compiled sources behind a
// type-erased `boost::asio::any_completion_handler`, so these templates stay thin.
//
// Failures arrive as a std::exception_ptr holding a wrike_cascade::Error (error code in the
// wrike_cascade category plus an ErrorDetail). Per-operation cancellation works through the
// handler's associated cancellation slot (boost::asio::bind_cancellation_slot).
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <exception>
#include <utility>

namespace wrike_cascade {

template <class T>
using Handler = boost::asio::any_completion_handler<void(std::exception_ptr, T)>;

namespace detail {

// `launch` is a callable taking Handler<T>; it starts the compiled operation.
template <class T, class CompletionToken, class Launch>
auto initiate(CompletionToken&& token, Launch&& launch) {
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, T)>(
      [](auto handler, auto launch_fn) { launch_fn(Handler<T>(std::move(handler))); }, token,
      std::forward<Launch>(launch));
}

}  // namespace detail
}  // namespace wrike_cascade
