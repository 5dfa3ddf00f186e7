// Files of the edges: a journal read one line at a time (io::journal_lines) and a file written
// whole or not at all (io::atomic_file).
#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "loyalty/io/atomic_file.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/journal_lines.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/io/program_json.hpp"
#include "loyalty/ledger/hash_chain.hpp"

namespace unit_journal_files {

namespace {

using namespace loyalty;
namespace fs = std::filesystem;

struct scratch {
    fs::path dir;
    scratch() {
        dir = fs::temp_directory_path() / ("loyalty-files-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~scratch() { fs::remove_all(dir); }
    std::string write(const std::string& name, std::string_view bytes) const {
        const fs::path p = dir / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p.string();
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string error_id_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const error& e) {
        return e.id();
    }
    return "no error";
}

TEST(JournalLines, GivesTheLinesThatAreNotBlankWithTheirNumbers) {
    scratch s;
    // Blank lines (spaces, tabs, a CR) are skipped but counted; CRLF keeps its CR; no final newline.
    const std::string path = s.write("j.jsonl", "{\"a\":1}\n\n  \t\r\n{\"b\":2}\r\n{\"c\":3}");
    io::journal_lines lines(path);
    std::vector<std::pair<std::size_t, std::string>> got;
    std::string_view line;
    while (lines.next(line)) got.emplace_back(lines.line_number(), std::string(line));
    const std::vector<std::pair<std::size_t, std::string>> want{{1, "{\"a\":1}"}, {4, "{\"b\":2}\r"}, {5, "{\"c\":3}"}};
    EXPECT_EQ(got, want);
    EXPECT_FALSE(lines.next(line));  // the end stays the end
}

// The file is read in blocks of 256 KiB: lines that cross a block's end, a line longer than a
// block (the block grows), and blank lines and a last line without a newline after them.
TEST(JournalLines, LinesAcrossAndLongerThanTheBlocksComeWhole) {
    scratch s;
    std::string text;
    std::vector<std::pair<std::size_t, std::string>> want;
    std::size_t n = 0;
    const auto add = [&](const std::string& line, bool blank = false) {
        text += line + "\n";
        ++n;
        if (!blank) want.emplace_back(n, line);
    };
    for (int i = 0; i < 5000; ++i) add("{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(static_cast<std::size_t>(i % 97), 'x') + "\"}");
    add(std::string(700 * 1024, 'L'));  // longer than two blocks
    add(" \t", true);
    add("{\"after\":\"the long line\"}");
    text += "{\"last\":true}";  // no newline
    want.emplace_back(n + 1, "{\"last\":true}");
    const std::string path = s.write("long.jsonl", text);
    io::journal_lines lines(path);
    std::vector<std::pair<std::size_t, std::string>> got;
    std::string_view line;
    while (lines.next(line)) got.emplace_back(lines.line_number(), std::string(line));
    ASSERT_EQ(got.size(), want.size());
    EXPECT_TRUE(got == want);
    EXPECT_EQ(lines.bytes_read(), text.size() + 1);  // the last line's newline counted, as documented
    EXPECT_FALSE(lines.next(line));
}

TEST(JournalLines, AnEmptyFileHasNoLines) {
    scratch s;
    io::journal_lines lines(s.write("empty.jsonl", ""));
    std::string_view line;
    EXPECT_FALSE(lines.next(line));
    EXPECT_EQ(lines.line_number(), 0u);
}

TEST(JournalLines, AMissingFileOrADirectoryCannotBeOpened) {
    scratch s;
    EXPECT_EQ(error_id_of([&] { io::journal_lines((s.dir / "missing.jsonl").string()); }), "loyalty.io.cannot_open");
    EXPECT_EQ(error_id_of([&] { io::journal_lines(s.dir.string()); }), "loyalty.io.cannot_open");
}

TEST(JournalLines, AnErrorAtALineNamesTheLineApartFromThePointer) {
    const error e = io::at_line(error("loyalty.event.missing_field", "/lines/0/unit_price", "missing"), 7);
    EXPECT_EQ(e.id(), "loyalty.event.missing_field");
    EXPECT_EQ(e.pointer(), "/lines/0/unit_price");
    EXPECT_EQ(e.line(), 7u);
    EXPECT_EQ(e.column(), 0u);
    EXPECT_EQ(e.message(), "missing");
    EXPECT_STREQ(e.what(), "[loyalty.event.missing_field] line 7: (/lines/0/unit_price) missing");
    const error parse = io::at_line(error("loyalty.event.parse_error", "bad").at(1, 41), 3);
    EXPECT_EQ(parse.pointer(), "");
    EXPECT_EQ(parse.line(), 3u);
    EXPECT_EQ(parse.column(), 41u);  // the column of the line's own text stays
    const error filed = parse.in_file("j.jsonl");
    EXPECT_EQ(filed.file(), "j.jsonl");
    EXPECT_STREQ(filed.what(), "[loyalty.event.parse_error] j.jsonl, line 3, column 41: bad");
    EXPECT_EQ(filed.in_file("other.jsonl").file(), "j.jsonl");  // the first file named stays
    EXPECT_EQ(filed.with_id("loyalty.ledger.parse_error").line(), 3u);
}

// A JSON syntax error is one error: the library's id, the position as line and column, and the
// parser's sentence without its own id and position.
TEST(JournalLines, ASyntaxErrorHasOneIdAndItsColumn) {
    try {
        io::load_journal("{\"id\":\"a\",\"member\":\"M1\",\"at\":\"2025-01-10T10:00:00+08:00\",\"type\":\"enrol\"}\n"
                         "{\"id\":\"b\",}\n",
                         *currency::from_code("CNY"));
        FAIL() << "journal accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.event.parse_error");
        EXPECT_EQ(e.line(), 2u);
        EXPECT_EQ(e.column(), 11u);  // the '}' after the comma
        EXPECT_EQ(e.pointer(), "");
        EXPECT_EQ(e.message().find("json.exception"), std::string::npos) << e.message();
        EXPECT_EQ(e.message().find("line 1"), std::string::npos) << e.message();
        EXPECT_NE(e.message().find("unexpected '}'"), std::string::npos) << e.message();
    }
    // A programme's text: its own line and column.
    try {
        io::load_program("{\n  \"id\": \"x\",\n  \"version\": 1,,\n}");
        FAIL() << "programme accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.program.parse_error");
        EXPECT_EQ(e.line(), 3u);
        EXPECT_EQ(e.column(), 16u);
    }
}

// Two entries of one member as a ledger file holds them (docs/ledger.md), hashes as written.
ledger_entry entry_of(std::int64_t seq, std::int64_t amount, std::int64_t balance) {
    ledger_entry e;
    e.member = "M1";
    e.seq = seq;
    e.event = "e" + std::to_string(seq);
    e.kind = entry_kind::adjust;
    e.amount = points(amount);
    e.balance = points(balance);
    e.program = "club";
    e.version = 1;
    e.reason = "adjusted";
    e.prev_hash = genesis_hash();
    e.hash = sha256_digest::from_hex(std::string(64, 'a')).value();
    return e;
}

TEST(LedgerReader, ReadsTheEntriesOfAFileOneAtATimeAsLoadLedgerDoes) {
    scratch s;
    const std::vector<ledger_entry> written{entry_of(1, 100, 100), entry_of(2, -40, 60)};
    // Blank lines between entries are skipped, as load_ledger skips them.
    const std::string text = io::ledger_to_jsonl({written[0]}) + "\n  \n" + io::ledger_to_jsonl({written[1]});
    const std::string path = s.write("ledger.jsonl", text);
    io::ledger_reader reader(path);
    std::vector<ledger_entry> got;
    ledger_entry e;
    while (reader.next(e)) got.push_back(e);
    EXPECT_EQ(got, written);
    EXPECT_EQ(io::load_ledger(text), written);
    EXPECT_EQ(io::load_ledger_file(path), written);
}

TEST(LedgerReader, ABadLineIsNamedWithItsFileAndLine) {
    scratch s;
    const std::string path = s.write("bad.jsonl", io::ledger_to_jsonl({entry_of(1, 100, 100)}) + "\n{\"member\":\n");
    io::ledger_reader reader(path);
    ledger_entry e;
    ASSERT_TRUE(reader.next(e));
    try {
        reader.next(e);
        FAIL() << "a malformed line was read";
    } catch (const error& x) {
        EXPECT_EQ(x.id(), "loyalty.ledger.parse_error");
        EXPECT_EQ(x.line(), 3u);
        EXPECT_EQ(x.file(), path);
    }
    EXPECT_EQ(error_id_of([&] { io::load_ledger_file(s.dir.string()); }), "loyalty.io.cannot_open");
    EXPECT_EQ(error_id_of([&] { io::ledger_reader((s.dir / "missing.jsonl").string()); }), "loyalty.io.cannot_open");
}

TEST(AtomicFile, CommitReplacesTheTargetWithEverythingWritten) {
    scratch s;
    const std::string target = s.write("ledger.jsonl", "old\n");
    ::chmod(target.c_str(), 0640);
    {
        io::atomic_file f(target);
        std::string big(200000, 'x');  // more than the buffer holds, written in one call
        f.write("first\n");
        f.write(big);
        f.write("\nlast\n");
        EXPECT_EQ(read(target), "old\n");  // nothing of it shows before commit()
        f.commit();
        EXPECT_EQ(read(target), "first\n" + big + "\nlast\n");
    }
    EXPECT_EQ(s.names(), std::vector<std::string>{"ledger.jsonl"});
    struct stat st {};
    ASSERT_EQ(::stat(target.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);  // the replaced file's permissions are kept
}

TEST(AtomicFile, WithoutCommitTheTargetIsUntouchedAndNoTemporaryFileRemains) {
    scratch s;
    const std::string target = s.write("ledger.jsonl", "old\n");
    {
        io::atomic_file f(target);
        f.write(std::string(100000, 'y'));  // some of it reached the temporary file
        EXPECT_EQ(s.names().size(), 2u);
    }
    EXPECT_EQ(read(target), "old\n");
    EXPECT_EQ(s.names(), std::vector<std::string>{"ledger.jsonl"});
    {
        io::atomic_file f((s.dir / "new.jsonl").string());  // a new file is not created either
    }
    EXPECT_EQ(s.names(), std::vector<std::string>{"ledger.jsonl"});
}

TEST(AtomicFile, WhatCannotBeWrittenIsCannotWrite) {
    scratch s;
    EXPECT_EQ(error_id_of([&] { io::atomic_file((s.dir / "no" / "l.jsonl").string()); }), "loyalty.io.cannot_write");
    EXPECT_EQ(error_id_of([&] { io::atomic_file(s.dir.string()); }), "loyalty.io.cannot_write");
    // Not a regular file: written directly, and a full device says so.
    EXPECT_EQ(error_id_of([&] {
                  io::atomic_file f("/dev/full");
                  f.write("x");
                  f.commit();
              }),
              "loyalty.io.cannot_write");
    io::atomic_file null("/dev/null");
    null.write("nothing");
    null.commit();
    struct stat st {};
    ASSERT_EQ(::stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));  // /dev/null was written to, not replaced
}

}  // namespace

}  // namespace unit_journal_files
