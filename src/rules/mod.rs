//! The rule registry: one file per rule (see DESIGN.md, "Rules").
//!
//! # How to add a rule
//!
//! 1. Pick the next free code in the right group (RS1xx date/time, RS2xx strings & regex, RS3xx
//!    conditionals/aggregates/windows/NULL order, RS4xx casts/types/identifiers/operators/clauses,
//!    RS5xx JSON/SUPER, RS6xx math, RS7xx DDL, RS8xx DML/utility/system tables; RS9xx is the
//!    engine's). Codes are stable: never reuse or renumber one.
//! 2. Copy a small rule file, e.g. `nvl.rs`, to `src/rules/<what_it_matches>.rs`. Declare the
//!    rule with [`rule!`]: its doc comment (sections *What it does*, *Why it differs on
//!    Databricks*, *Example*, *Use instead*; `hex-migrate rules CODE` prints it), code, name,
//!    one-line summary, [`Confidence`], and whether the construct cannot run on Databricks at all
//!    (`databricks_invalid`: then it is also reported in cells already on Databricks).
//! 3. `impl Rule` with one or more `check_*` hooks. Match the node, **return early on anything
//!    you do not handle** (unknown argument counts, Jinja, non-literal units …), and build the
//!    replacement from source slices of the children (`Piece::Src(range)`), never from
//!    `Display`. Use `cx.call(f)` for a call's token-delimited extent and argument ranges,
//!    `cx.fix(range, pieces, msg)` to rewrite, `cx.report(range, msg, suggestion)` when a
//!    person must decide, `cx.warn` for a caveat without a rewrite.
//! 4. Add one line to [`ALL`] below and `mod` the file.
//! 5. Tests in the rule file: exact output strings (use [`test_support::fix`]), a case that must
//!    be left alone, and the idempotence/re-parse checks come for free from the corpus tests.

use sqlparser::ast::{Expr, Query, Select, Statement};

use crate::sql::checker::Checker;
pub use crate::sql::finding::Confidence;

/// What the registry knows about a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Stable code, e.g. `RS101`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `getdate`.
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    pub confidence: Confidence,
    /// The construct cannot run on Databricks at all (unknown function, syntax error), so it is
    /// reported even in cells that are already on a Databricks connection.
    pub databricks_invalid: bool,
    /// The doc comment of the rule type.
    pub doc: &'static str,
}

impl RuleInfo {
    /// The doc comment with the one leading space of each `///` line removed.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A rule's registry metadata; the `rule!` declaration implements it from the rule's `INFO`, so
/// no rule writes it by hand.
pub trait Described {
    fn info(&self) -> &'static RuleInfo;
}

/// A rule: metadata plus check hooks. Every hook defaults to doing nothing.
pub trait Rule: Described + Sync {
    /// Called for every expression, outermost first.
    fn check_expr(&self, _cx: &mut Checker<'_, '_>, _e: &Expr) {}
    /// Called for every expression after every rule's `check_expr` ran on it and on everything
    /// inside it, so a rule can yield to the edits other rules made (see RS466).
    fn check_expr_after(&self, _cx: &mut Checker<'_, '_>, _e: &Expr) {}
    /// Whether `check_expr_after` does anything: the walk calls it only for rules that say so
    /// (a hundred no-op calls per expression cost the commit hook measurable time).
    fn checks_after(&self) -> bool {
        false
    }
    /// Called for every query (top level, CTE bodies, subqueries).
    fn check_query(&self, _cx: &mut Checker<'_, '_>, _q: &Query) {}
    /// Called for every SELECT block.
    fn check_select(&self, _cx: &mut Checker<'_, '_>, _s: &Select) {}
    /// Called once for every statement that parsed.
    fn check_statement(&self, _cx: &mut Checker<'_, '_>, _s: &Statement) {}
    /// Called once per statement on its tokens, parsed or not (`parsed` says which). Rules for
    /// constructs sqlparser rejects (DDL clauses, APPROXIMATE) work here.
    fn check_tokens(&self, _cx: &mut Checker<'_, '_>, _parsed: bool) {}
}

/// Declares a rule type with its doc comment and registry metadata.
#[macro_export]
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident;
        code: $code:literal,
        name: $rname:literal,
        summary: $summary:literal,
        confidence: $conf:ident,
        databricks_invalid: $dbx:literal $(,)?
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// Registry metadata of this rule.
            pub const INFO: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
                code: $code,
                name: $rname,
                summary: $summary,
                confidence: $crate::sql::Confidence::$conf,
                databricks_invalid: $dbx,
                doc: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::rules::Described for $name {
            fn info(&self) -> &'static $crate::rules::RuleInfo {
                &Self::INFO
            }
        }
    };
}

pub mod dateparts;
pub mod engine;

mod add_months;
mod approximate;
mod cast_type;
mod convert_timezone;
mod date_arithmetic;
mod date_part;
mod date_trunc;
mod dateadd;
mod datediff;
mod datetime_format;
mod ddl_clauses;
mod getdate;
mod integer_division;
mod interval_literal;
mod json_extract_path_text;
mod listagg;
mod log;
mod median;
mod minus;
mod null_order;
mod nvl;
mod quoted_identifier;
mod regex_operator;
mod similar_to;
mod string_function_names;
mod string_literal;
mod sysdate;
mod top;
mod trunc;
// Surface rules (issue 4) and their shared helpers.
mod alter_table_variants;
mod args;
mod array_functions;
mod at_time_zone;
mod avg_integer;
mod bitwise_operators;
mod boolean_literal_cast;
mod charindex;
mod convert_function;
mod copy_unload;
mod create_table_like;
mod date_cmp;
mod date_integer_arithmetic;
mod ddl_column_types;
mod delete_using;
mod delete_without_from;
mod dml_variants;
mod drop_cascade;
mod epoch_literal;
mod fetch_first;
mod function_mapping;
mod generate_series;
mod grants_and_roles;
mod identity_columns;
mod initcap;
mod insert_datetime_literals;
mod isnull_two_args;
mod json_array_element;
mod json_array_length;
mod json_parse_serialize;
mod json_validation;
mod lateral_alias;
mod ltrim_rtrim_chars;
mod maintenance_statements;
mod months_between;
mod next_day;
mod oracle_outer_join;
mod pivot_unpivot;
mod positional_parameters;
mod posix_classes;
mod prepared_statements;
mod ratio_to_report;
mod recursive_cte;
mod regex_args;
mod regexp_count;
mod regexp_instr;
mod regexp_replace;
mod regexp_substr;
mod round_halves;
mod select_exclude;
mod session_functions;
mod session_settings;
mod statement_text;
mod string_caveats;
mod string_functions_without_equivalent;
mod strtol;
mod substring_start;
mod super_functions;
mod super_navigation;
mod system_tables;
mod table_constraints;
mod temp_tables;
mod textlen;
mod timeofday;
mod to_hex;
mod trailing_blanks;
mod trailing_blanks_columns;
mod transaction_control;
mod truncate_table;
mod unsupported_ddl;
mod update_from;
mod view_schema_binding;
mod window_null_treatment;
mod window_value_frames;
// Reference rows without a rule before (issue 4).
mod ansi_mode;
mod current_timestamp;
mod timestamp_model;

/// Every rule, in code order. One line per rule.
static ALL: &[&dyn Rule] = &[
    &getdate::Getdate,
    &sysdate::Sysdate,
    &dateadd::Dateadd,
    &datediff::Datediff,
    &date_trunc::DateTrunc,
    &trunc::Trunc,
    &date_part::DatePartRule,
    &add_months::AddMonths,
    &convert_timezone::ConvertTimezone,
    &datetime_format::DatetimeFormat,
    &interval_literal::IntervalLiteral,
    &date_arithmetic::DateArithmetic,
    &months_between::MonthsBetween,
    &next_day::NextDay,
    &date_cmp::DateCmp,
    &epoch_literal::EpochLiteral,
    &generate_series::GenerateSeries,
    &timeofday::Timeofday,
    &at_time_zone::AtTimeZone,
    &date_integer_arithmetic::DateIntegerArithmetic,
    &current_timestamp::CurrentTimestamp,
    &timestamp_model::TimestampModel,
    &string_literal::StringLiteral,
    &regex_operator::RegexOperator,
    &similar_to::SimilarTo,
    &string_function_names::StringFunctionNames,
    &textlen::Textlen,
    &charindex::Charindex,
    &substring_start::SubstringStart,
    &ltrim_rtrim_chars::LtrimRtrimChars,
    &initcap::Initcap,
    &strtol::Strtol,
    &to_hex::ToHex,
    &string_functions_without_equivalent::StringFunctionsWithoutEquivalent,
    &string_caveats::StringCaveats,
    &trailing_blanks::TrailingBlanks,
    &trailing_blanks_columns::TrailingBlanksColumns,
    &regexp_substr::RegexpSubstr,
    &regexp_count::RegexpCount,
    &regexp_replace::RegexpReplace,
    &regexp_instr::RegexpInstr,
    &posix_classes::PosixClasses,
    &nvl::Nvl,
    &null_order::NullOrder,
    &listagg::Listagg,
    &median::Median,
    &approximate::Approximate,
    &isnull_two_args::IsnullTwoArgs,
    &ratio_to_report::RatioToReport,
    &boolean_literal_cast::BooleanLiteralCast,
    &window_value_frames::WindowValueFrames,
    &avg_integer::AvgInteger,
    &window_null_treatment::WindowNullTreatment,
    &quoted_identifier::QuotedIdentifier,
    &top::Top,
    &cast_type::CastType,
    &minus::Minus,
    &oracle_outer_join::OracleOuterJoin,
    &select_exclude::SelectExclude,
    &fetch_first::FetchFirst,
    &positional_parameters::PositionalParameters,
    &recursive_cte::RecursiveCte,
    &pivot_unpivot::PivotUnpivot,
    &lateral_alias::LateralAlias,
    &convert_function::ConvertFunction,
    &ddl_column_types::DdlColumnTypes,
    &insert_datetime_literals::InsertDatetimeLiterals,
    &function_mapping::FunctionMapping,
    &ansi_mode::AnsiMode,
    &json_extract_path_text::JsonExtractPathText,
    &json_array_element::JsonArrayElement,
    &json_validation::JsonValidation,
    &json_parse_serialize::JsonParseSerialize,
    &json_array_length::JsonArrayLength,
    &super_functions::SuperFunctions,
    &super_navigation::SuperNavigation,
    &array_functions::ArrayFunctions,
    &integer_division::IntegerDivision,
    &log::Log,
    &bitwise_operators::BitwiseOperators,
    &round_halves::RoundHalves,
    &ddl_clauses::DdlClauses,
    &identity_columns::IdentityColumns,
    &temp_tables::TempTables,
    &view_schema_binding::ViewSchemaBinding,
    &unsupported_ddl::UnsupportedDdl,
    &create_table_like::CreateTableLike,
    &drop_cascade::DropCascade,
    &table_constraints::TableConstraints,
    &alter_table_variants::AlterTableVariants,
    &truncate_table::TruncateTable,
    &delete_using::DeleteUsing,
    &update_from::UpdateFrom,
    &delete_without_from::DeleteWithoutFrom,
    &copy_unload::CopyUnload,
    &maintenance_statements::MaintenanceStatements,
    &transaction_control::TransactionControl,
    &session_settings::SessionSettings,
    &grants_and_roles::GrantsAndRoles,
    &system_tables::SystemTables,
    &session_functions::SessionFunctions,
    &prepared_statements::PreparedStatements,
    &dml_variants::DmlVariants,
    &engine::ParseError,
    &engine::ReparseError,
    &engine::JinjaHidesStructure,
    &engine::TokensOnly,
    &engine::UnknownSuppression,
];

/// Every registered rule (engine findings RS9xx included, they have no checks).
pub fn all() -> &'static [&'static dyn Rule] {
    ALL
}

/// Looks a rule up by code (case-insensitive).
pub fn by_code(code: &str) -> Option<&'static RuleInfo> {
    ALL.iter()
        .map(|r| r.info())
        .find(|i| i.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
pub mod test_support {
    //! Helpers for rule tests.
    use crate::sql::{translate, TranslateOptions, Translation};

    /// Translates with default options.
    pub fn fix(sql: &str) -> Translation {
        translate(sql, &TranslateOptions::default())
    }

    /// Translates and returns the output only.
    pub fn out(sql: &str) -> String {
        fix(sql).output
    }

    /// The codes of the findings, in order.
    pub fn codes(sql: &str) -> Vec<&'static str> {
        fix(sql).findings.iter().map(|f| f.code).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_well_formed_and_documented() {
        let mut seen = HashSet::new();
        for r in all() {
            let i = r.info();
            assert!(seen.insert(i.code), "duplicate {}", i.code);
            assert!(i.code.len() == 5 && i.code.starts_with("RS"), "{}", i.code);
            assert!(
                i.code[2..].chars().all(|c| c.is_ascii_digit()),
                "{}",
                i.code
            );
            assert!(!i.summary.is_empty() && !i.summary.contains('\n'));
            assert!(i.doc.contains("What it does"), "{} lacks docs", i.code);
        }
        let codes: Vec<_> = all().iter().map(|r| r.info().code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted, "keep the registry in code order");
    }
}
