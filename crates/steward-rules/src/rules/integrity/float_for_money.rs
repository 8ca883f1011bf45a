use crate::prelude::*;
use steward_core::model::TypeFamily;

declare_rule! {
    /// Finds amounts and prices stored as floating point or MONEY.
    ///
    /// ## What it does
    /// Reports columns of a binary floating-point type (`real`, `double precision`, `float`)
    /// whose name says they hold money (`price`, `amount`, `total`, `cost`, `balance`, `fee`,
    /// `salary`, `tax`, `freight`, …), and every column of a `money` type.
    ///
    /// ## Why it matters
    /// Floating point cannot represent 0.10 exactly: sums drift by fractions of a cent, totals
    /// do not reconcile with invoices and equality checks fail. PostgreSQL's `money` formats by
    /// the server's `lc_monetary` locale, cannot hold a currency and loses precision in division;
    /// SQL Server's `money`/`smallmoney` round intermediate results to four decimals.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE invoice (id bigint PRIMARY KEY, total double precision NOT NULL);
    /// ```
    ///
    /// ## Fix
    /// Use an exact decimal with the scale your currency needs:
    /// ```sql
    /// ALTER TABLE invoice ALTER COLUMN total TYPE numeric(12,2);
    /// ```
    pub struct FloatForMoney {
        id: "float-for-money",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

/// Words that mark a column as an amount of money.
const MONEY_WORDS: &[&str] = &[
    "price",
    "prices",
    "amount",
    "amt",
    "total",
    "subtotal",
    "cost",
    "costs",
    "balance",
    "fee",
    "fees",
    "salary",
    "wage",
    "wages",
    "tax",
    "vat",
    "freight",
    "payment",
    "charge",
    "charges",
    "revenue",
    "refund",
    "invoice",
    "budget",
    "spend",
    "paid",
    "income",
    "commission",
    "bonus",
    "shipping",
];

impl Rule for FloatForMoney {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.model.dialect;
        for table in ctx.model.tables.values() {
            if table.partition_of.is_some() {
                continue;
            }
            for column in &table.columns {
                let Some(ty) = &column.data_type else {
                    continue;
                };
                let why = match ty.family {
                    TypeFamily::Money => match dialect {
                        Dialect::Postgres => "`money` formats by the server's locale, holds no currency and loses precision in division",
                        Dialect::Tsql => "`money` rounds intermediate results to four decimals, so multiplications and divisions drift",
                    },
                    TypeFamily::Float if is_money_name(&column.name) => {
                        "binary floating point cannot represent amounts like 0.10 exactly: sums drift and totals stop reconciling"
                    }
                    _ => continue,
                };
                let object = table.name.column_display(&column.name, dialect);
                let fix = match dialect {
                    Dialect::Postgres => format!(
                        "ALTER TABLE {} ALTER COLUMN {} TYPE numeric(12,2);",
                        table.name,
                        quote_ident(&column.name)
                    ),
                    Dialect::Tsql => format!(
                        "ALTER TABLE {} ALTER COLUMN {} decimal(19,4){};",
                        table.name.display(dialect),
                        ident(&column.name, dialect),
                        if column.not_null { " NOT NULL" } else { "" }
                    ),
                };
                out.push(
                    Self::META
                        .diag(format!("amount column {object} is `{ty}`"))
                        .at(column.origin.location().cloned())
                        .object(object)
                        .help(format!("{why}; store amounts as an exact decimal (numeric/decimal) with the scale the currency needs"))
                        .fix(fix),
                );
            }
        }
    }
}

fn is_money_name(name: &str) -> bool {
    name_words(name)
        .iter()
        .any(|w| MONEY_WORDS.contains(&w.as_str()))
}
