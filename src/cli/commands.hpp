#pragma once
// One function per command; each adds its subcommand to the app and, when the subcommand
// runs, stores its exit code in `result`.
#include <CLI/CLI.hpp>

namespace loyalty::cli {

void add_validate(CLI::App& app, int& result);
void add_run(CLI::App& app, int& result);
void add_statement(CLI::App& app, int& result);
void add_price(CLI::App& app, int& result);
void add_explain(CLI::App& app, int& result);
void add_audit(CLI::App& app, int& result);
void add_report(CLI::App& app, int& result);
// Subcommands of `report` (added by add_report).
void add_liability(CLI::App& report, int& result);
void add_compare(CLI::App& report, int& result);
void add_member_value(CLI::App& report, int& result);
void add_touch_points(CLI::App& report, int& result);

}  // namespace loyalty::cli
