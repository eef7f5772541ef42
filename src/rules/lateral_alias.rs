use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, Expr, Select, SelectItem};

use super::Rule;
use crate::sql::checker::Checker;

crate::rule! {
    /// ## What it does
    /// Warns where a select-list item uses an alias defined earlier in the same select list
    /// (`SELECT a + 1 AS x, x * 2 …`).
    ///
    /// ## Why it differs on Databricks
    /// Both engines support lateral column aliases (Databricks from DBR 12.2). When the alias
    /// has the same name as a column of a table in FROM, the engines may resolve the name
    /// differently (the column or the alias). Rename the alias if it shadows a column.
    ///
    /// ## Example
    /// ```sql
    /// SELECT price * qty AS amount, amount * 0.2 AS tax FROM orders
    /// ```
    ///
    /// ## Use instead
    /// If `orders` has a column `amount`, rename the alias (`line_amount`) or repeat the
    /// expression.
    pub struct LateralAlias;
    code: "RS458",
    name: "lateral-column-alias",
    summary: "Lateral column aliases may resolve differently when they shadow a column",
    confidence: Caveat,
    databricks_invalid: false,
}

impl Rule for LateralAlias {
    fn check_select(&self, cx: &mut Checker<'_, '_>, s: &Select) {
        let mut aliases: Vec<String> = Vec::new();
        let mut hits = Vec::new();
        for item in &s.projection {
            let expr = match item {
                SelectItem::UnnamedExpr(e) => e,
                SelectItem::ExprWithAlias { expr, .. } => expr,
                _ => continue,
            };
            let _ = visit_expressions(expr, |e| {
                if let Expr::Identifier(id) = e {
                    if aliases.contains(&id.value.to_lowercase()) {
                        hits.push(id.clone());
                    }
                }
                ControlFlow::<()>::Continue(())
            });
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                aliases.push(alias.value.to_lowercase());
            }
        }
        for id in hits {
            if let Some(r) = cx.range(id.span) {
                cx.warn(
                    r,
                    format!(
                        "`{}` refers to an alias of this select list; if a FROM table also has \
                             a column of that name, Databricks may resolve it differently: rename \
                             the alias",
                        id.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::codes;

    #[test]
    fn lateral_reference_warns() {
        assert_eq!(
            codes("SELECT p * q AS amount, amount * 2 AS tax FROM o"),
            vec!["RS458"]
        );
        assert!(codes("SELECT p AS a, q AS b FROM o").is_empty());
    }
}
