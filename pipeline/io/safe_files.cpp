#include "pipeline/io/safe_files.h"

#include "pipeline/errors.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kaskade::io {
namespace {

const char* safeFileKind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

[[noreturn]] void safeFileRefuse(const std::filesystem::path& path, mode_t mode)
{
    throw Error(ErrorCode::FileIo, path.string() + ": is " + safeFileKind(mode) + ", not a regular file");
}

[[noreturn]] void safeFileSysFail(const std::filesystem::path& path, const char* action, int error)
{
    if (error == ENOENT || error == ENOTDIR)
        throw Error(ErrorCode::FileNotFound, path.string() + ": file not found");
    throw Error(ErrorCode::FileIo, path.string() + ": cannot " + action + " (" + std::strerror(error) + ")");
}

} // namespace

void requireRegularFile(const std::filesystem::path& path)
{
    struct stat info
    {
    };
    if (::stat(path.c_str(), &info) != 0)
        safeFileSysFail(path, "read", errno);
    if (!S_ISREG(info.st_mode))
        safeFileRefuse(path, info.st_mode);
}

int openRegularFile(const std::filesystem::path& path)
{
    requireRegularFile(path);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        safeFileSysFail(path, "open", errno);
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        safeFileSysFail(path, "stat", error);
    }
    if (!S_ISREG(info.st_mode)) { // swapped between stat and open
        ::close(fd);
        safeFileRefuse(path, info.st_mode);
    }
    // Regular files ignore O_NONBLOCK for reads, but clear it so that nothing later depends on that.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

std::string readRegularFile(const std::filesystem::path& path, std::uint64_t maxBytes)
{
    const int fd = openRegularFile(path);
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int error = errno;
            ::close(fd);
            safeFileSysFail(path, "read", error);
        }
        if (n == 0)
            break;
        if (text.size() + static_cast<std::uint64_t>(n) > maxBytes) {
            ::close(fd);
            throw Error(ErrorCode::BadFormat, path.string() + ": is larger than " + std::to_string(maxBytes) +
                                                  " bytes (not the expected file?)");
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

int jsonDepth(std::string_view text, int limit)
{
    int depth = 0, deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest && (deepest = depth) > limit)
                return limit + 1;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

nlohmann::json parseJson(std::string_view text, const std::string& origin, int maxDepth)
{
    if (jsonDepth(text, maxDepth) > maxDepth)
        throw Error(ErrorCode::BadFormat,
                    origin + ": JSON nested deeper than " + std::to_string(maxDepth) + " levels (not a valid file)");
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::BadFormat, origin + ": not valid JSON (" + e.what() + ")");
    }
}

nlohmann::json readJsonFile(const std::filesystem::path& path, std::uint64_t maxBytes)
{
    return parseJson(readRegularFile(path, maxBytes), path.string());
}

} // namespace kaskade::io
