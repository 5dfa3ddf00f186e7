// The `loyalty` command: validate, run, statement, price, explain, audit verify, report rollforward,
// report liability, report compare.
// Commands read files; run writes to a store, and the reading commands read one (--db); see docs/cli.md.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"

int main(int argc, char** argv) {
    using namespace loyalty::cli;
    CLI::App app{"loyalty: rules core of a car dealership's membership programme (docs/cli.md)", "loyalty"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("loyalty ") + LOYALTY_VERSION);
    app.footer("Example:\n  loyalty run -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl\n"
               "Each command's --help has an example of it.\n\n" + exit_codes_help());
    int result = exit_ok;
    add_validate(app, result);
    add_run(app, result);
    add_statement(app, result);
    add_price(app, result);
    add_explain(app, result);
    add_audit(app, result);
    add_report(app, result);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_bad_input;
    }
    return result;
}
