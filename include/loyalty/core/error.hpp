#pragma once
// Errors for bad input and broken invariants. Business refusals are not errors:
// they are outcomes with a reason code (see engine/outcome.hpp).
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace loyalty {

// An error names a stable id ("loyalty.program.invalid_rate"), the JSON pointer of the
// offending field when there is one ("/earning_rules/2/rate"), and a message for people. Read
// from a file, it also says where: the file, the line (of a journal or ledger: its line; of a
// programme: the line of the text) and, where the reader knows it, the column (from 1).
// what() reads "[id] FILE, line L, column C: (pointer) message", each part only when known.
class error : public std::runtime_error {
public:
    error(std::string id, std::string pointer, const std::string& message)
        : error(std::move(id), std::move(pointer), message, {}, 0, 0) {}
    error(std::string id, const std::string& message) : error(std::move(id), "", message) {}

    const std::string& id() const noexcept { return id_; }
    const std::string& pointer() const noexcept { return pointer_; }
    const std::string& message() const noexcept { return message_; }
    const std::string& file() const noexcept { return file_; }      // "" when not read from a file
    std::size_t line() const noexcept { return line_; }             // 0 when not known
    std::size_t column() const noexcept { return column_; }         // 0 when not known

    // The same error located under a parent JSON pointer ("/earning_rules/2" + "/rate").
    error under(const std::string& parent) const {
        return error(id_, parent + pointer_, message_, file_, line_, column_);
    }
    // The same error under another id (a reader's own domain: loyalty.json.* as loyalty.event.*).
    error with_id(std::string id) const { return error(std::move(id), pointer_, message_, file_, line_, column_); }
    // The same error on line `line` of a text of lines (a journal, a ledger): an error of the one
    // line's text keeps its column.
    error at_line(std::size_t line) const { return error(id_, pointer_, message_, file_, line, column_); }
    // The same error at a line and column of the text it came from (a parser's position).
    error at(std::size_t line, std::size_t column) const { return error(id_, pointer_, message_, file_, line, column); }
    // The same error in file `path` (an error that names a file already keeps it).
    error in_file(const std::string& path) const {
        return error(id_, pointer_, message_, file_.empty() ? path : file_, line_, column_);
    }
    // The same error without its file, for a caller that names the file itself.
    error without_file() const { return error(id_, pointer_, message_, "", line_, column_); }

private:
    error(std::string id, std::string pointer, const std::string& message, std::string file, std::size_t line,
          std::size_t column)
        : std::runtime_error(format(id, pointer, message, file, line, column)),
          id_(std::move(id)), pointer_(std::move(pointer)), message_(message), file_(std::move(file)),
          line_(line), column_(column) {}

    static std::string format(const std::string& id, const std::string& pointer, const std::string& message,
                              const std::string& file, std::size_t line, std::size_t column) {
        std::string s = "[" + id + "] ";
        std::string where = file;
        if (line > 0) where += (where.empty() ? "" : ", ") + std::string("line ") + std::to_string(line);
        if (line > 0 && column > 0) where += ", column " + std::to_string(column);
        if (!where.empty()) s += where + ": ";
        if (!pointer.empty()) s += "(" + pointer + ") ";
        return s + message;
    }
    std::string id_;
    std::string pointer_;
    std::string message_;
    std::string file_;
    std::size_t line_ = 0;
    std::size_t column_ = 0;
};

}  // namespace loyalty
