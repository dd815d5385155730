#pragma once
// Guards for reading files that come from users or from the internet: only regular files are opened
// (a FIFO, a device or a socket would block forever or never end), nothing is opened before that is
// known, sizes are bounded, and JSON is parsed only after a linear pre-scan has bounded its nesting
// (nlohmann's parser recurses once per level, so a header of 100,000 '[' overflows the stack).
// Torch-free and Qt-free: the fuzz harnesses and app/ use it too.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace kaskade::io {

// Deepest JSON nesting any of our files needs (safetensors headers, tokenizer and params files, PNG
// text chunks need 5 or fewer); generous, and far below what overflows a thread's stack.
constexpr int kMaxJsonDepth = 128;

// Throws Error(FileNotFound) when `path` does not exist and Error(FileIo) naming the kind when it is
// not a regular file (folder, FIFO, device, socket). Follows symlinks. Never opens the file.
void requireRegularFile(const std::filesystem::path& path);

// Opens `path` read-only for reading whole: checks with stat first, opens with O_NONBLOCK (a FIFO swapped
// in between cannot block), checks again with fstat. Returns the descriptor; throws Error as above.
int openRegularFile(const std::filesystem::path& path);

// The whole file, at most `maxBytes` (Error(BadFormat) "is larger than ..." otherwise). Reads until end
// of file rather than trusting st_size, so /proc-style files that report size 0 are read correctly.
std::string readRegularFile(const std::filesystem::path& path, std::uint64_t maxBytes);

// The nesting depth of JSON text ([ and { outside strings); linear, never recursive, stops counting
// once `limit` is exceeded (returns limit + 1 then).
int jsonDepth(std::string_view text, int limit = kMaxJsonDepth);

// Parses JSON text after checking its depth. `origin` names the file or field in messages.
// Throws Error(BadFormat) "<origin>: not valid JSON (...)" / "nested deeper than 128 levels".
nlohmann::json parseJson(std::string_view text, const std::string& origin, int maxDepth = kMaxJsonDepth);

// readRegularFile + parseJson.
nlohmann::json readJsonFile(const std::filesystem::path& path, std::uint64_t maxBytes);

} // namespace kaskade::io
