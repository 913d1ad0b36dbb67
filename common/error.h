/** @file error.h
 *  @brief Morgue's one error hierarchy.
 *
 *  Library code throws these (never strings, never exit()); each CLI catches
 *  them at its edge and maps them to the documented exit codes:
 *  0 ok, 1 failure (I/O, corrupt archive, rejected input), 2 usage or query error.
 *  Xapian::Error is translated into ArchiveError at module edges.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace morgue {

/// Base of every error Morgue raises. what() is one line, ready for stderr.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
    /// Process exit status a CLI should use for this error.
    [[nodiscard]] virtual int exit_code() const noexcept { return 1; }
};

/// Bad command-line usage: unknown option, missing argument.
class UsageError : public Error {
  public:
    using Error::Error;
    [[nodiscard]] int exit_code() const noexcept override { return 2; }
};

/// A query the user typed that cannot be parsed or makes no sense.
class QueryError : public Error {
  public:
    using Error::Error;
    [[nodiscard]] int exit_code() const noexcept override { return 2; }
};

/// Input that cannot be read: names the file and, where known, the line.
class InputError : public Error {
  public:
    InputError(const std::string& file, long line, const std::string& reason)
        : Error(line > 0 ? file + ":" + std::to_string(line) + ": " + reason : file + ": " + reason),
          m_file(file), m_line(line), m_reason(reason) {}
    [[nodiscard]] const std::string& file() const noexcept { return m_file; }
    [[nodiscard]] long line() const noexcept { return m_line; }
    [[nodiscard]] const std::string& reason() const noexcept { return m_reason; }

  private:
    std::string m_file;
    long m_line;
    std::string m_reason;
};

/// The archive on disk is missing, locked, corrupt or of another schema.
class ArchiveError : public Error {
  public:
    using Error::Error;
};

}  // namespace morgue
