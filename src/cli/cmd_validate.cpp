// loyalty validate PROGRAM.json... : checks programmes; errors name an id and a JSON pointer.
#include <algorithm>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/io/program_json.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "loyalty/program/warnings.hpp"

namespace loyalty::cli {

namespace {

struct validate_options {
    std::vector<std::string> files;
    format out = format::table;
};

int run_validate(const validate_options& o) {
    json report = json::array();
    int code = exit_ok;
    for (const std::string& path : o.files) {
        json item{{"file", path}};
        try {
            const program p = io::load_program_file(path);
            item["ok"] = true;
            item["id"] = p.id;
            item["version"] = p.version;
            item["digest"] = io::program_digest(p);
            item["warnings"] = json::array();
            const std::vector<program_warning> warnings = warnings_of(p);
            for (const program_warning& w : warnings)
                item["warnings"].push_back({{"id", w.id}, {"pointer", w.pointer}, {"message", w.message}});
            if (o.out == format::table) {
                std::cout << path << ": ok (" << io::program_label(p) << ", " << p.earning_rules.size()
                          << " earning rules, " << p.benefits.size() << " benefits, effective from "
                          << p.zone.format_local(p.effective_from) << ")\n";
                for (const program_warning& w : warnings)
                    std::cout << "  warning: [" << w.id << "] (" << w.pointer << ") " << w.message << "\n";
            }
        } catch (const error& e) {
            // A file that cannot be read is bad input, as for every command; an invalid programme
            // is what validate finds.
            const bool unreadable = e.id().rfind("loyalty.io.", 0) == 0;
            code = std::max(code, unreadable ? int{exit_bad_input} : int{exit_problems});
            item["ok"] = false;
            item["error"] = {{"id", e.id()},
                             {"pointer", e.pointer()},
                             {"line", e.line() > 0 ? json(e.line()) : json(nullptr)},
                             {"column", e.column() > 0 ? json(e.column()) : json(nullptr)},
                             {"message", e.message()}};
            if (o.out == format::table) std::cout << path << ": " << e.without_file().what() << "\n";
        }
        report.push_back(item);
    }
    if (o.out == format::json) std::cout << report.dump(2) << "\n";
    if (o.out == format::csv) {
        // One row per file that is valid without warnings or invalid, one per warning otherwise.
        table t({"file", "ok", "id", "version", "error", "pointer", "message"});
        for (const json& i : report) {
            if (!i["ok"].get<bool>()) {
                t.add({i["file"], "no", "", "", i["error"]["id"], i["error"]["pointer"], i["error"]["message"]});
                continue;
            }
            const std::string version = std::to_string(i["version"].get<std::int64_t>());
            if (i["warnings"].empty()) t.add({i["file"], "yes", i["id"], version, "", "", ""});
            for (const json& w : i["warnings"]) t.add({i["file"], "yes", i["id"], version, w["id"], w["pointer"], w["message"]});
        }
        t.print_csv(std::cout);
    }
    return code;
}

}  // namespace

void add_validate(CLI::App& app, int& result) {
    auto o = std::make_shared<validate_options>();
    CLI::App* cmd = app.add_subcommand("validate", "check programme files; exit 1 if any is invalid, 2 if any cannot be read");
    set_help_example(*cmd, "loyalty validate examples/programs/4s-club.json");
    cmd->add_option("programs", o->files, "programme JSON files")->required();
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_validate(*o); }); });
}

}  // namespace loyalty::cli
