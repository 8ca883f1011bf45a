//! Column types, normalized to the spelling PostgreSQL's `format_type()` prints, so types read
//! from DDL and from a live catalog compare equal.

use std::fmt;

/// What a type is, for rules that care about kinds rather than spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeFamily {
    /// Integers, with their width in bits (16, 32, 64; 8 for T-SQL `tinyint`).
    Integer(u8),
    /// Exact decimals (`numeric`, `decimal`).
    Numeric,
    /// Binary floating point (`real`, `double precision`, T-SQL `float`).
    Float,
    /// `money` types.
    Money,
    /// Character strings.
    Text,
    Boolean,
    /// Timestamps; `true` when they carry a time zone.
    Timestamp {
        with_time_zone: bool,
    },
    Date,
    Time,
    Interval,
    Uuid,
    Json,
    Binary,
    /// Network addresses (`inet`, `cidr`, `macaddr`).
    Network,
    /// A user-defined or otherwise unrecognised type.
    Other,
}

impl TypeFamily {
    pub fn is_textual(self) -> bool {
        matches!(self, TypeFamily::Text)
    }
}

/// A column's type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ColumnType {
    /// Base name without modifiers or array brackets, e.g. `character varying`, `integer`,
    /// `timestamp with time zone`, `mpaa_rating`.
    pub base: String,
    /// Type modifiers as written, e.g. `45` or `10,2`.
    pub modifiers: Option<String>,
    /// Array dimensions (0 for scalars).
    pub array_dims: u8,
    pub family: TypeFamily,
}

impl ColumnType {
    /// Builds a type from a base name (any common spelling, any case) and modifiers.
    pub fn new(base: &str, modifiers: Option<String>, array_dims: u8) -> Self {
        let base = canonical_base(base);
        let family = family_of(&base);
        ColumnType {
            base,
            modifiers: modifiers.filter(|m| !m.is_empty()),
            array_dims,
            family,
        }
    }

    /// Parses a `format_type()`-style spelling such as `character varying(45)[]`.
    pub fn parse(text: &str) -> Self {
        let mut text = text.trim();
        let mut array_dims = 0u8;
        while let Some(rest) = text.strip_suffix("[]") {
            text = rest.trim_end();
            array_dims = array_dims.saturating_add(1);
        }
        // Modifiers sit in the first parenthesis; `timestamp(3) with time zone` keeps its tail.
        if let (Some(open), Some(close)) = (text.find('('), text.find(')')) {
            if open < close {
                let modifiers = text[open + 1..close].replace(' ', "");
                let base = format!("{} {}", text[..open].trim(), text[close + 1..].trim());
                return ColumnType::new(base.trim(), Some(modifiers), array_dims);
            }
        }
        ColumnType::new(text, None, array_dims)
    }

    pub fn is_array(&self) -> bool {
        self.array_dims > 0
    }

    /// Integer width in bits, for integer types.
    pub fn integer_bits(&self) -> Option<u8> {
        match self.family {
            TypeFamily::Integer(bits) if !self.is_array() => Some(bits),
            _ => None,
        }
    }

    /// The largest value an integer column of this type can hold.
    pub fn integer_max(&self) -> Option<i128> {
        self.integer_bits().map(|bits| match bits {
            8 => 255,
            16 => i16::MAX as i128,
            32 => i32::MAX as i128,
            _ => i64::MAX as i128,
        })
    }

    /// Whether two types hold the same values for the purpose of comparing keys
    /// (`varchar(10)` vs `varchar(20)` are the same family of strings, `int4` vs `int8` are not).
    pub fn same_key_type(&self, other: &ColumnType) -> bool {
        if self.array_dims != other.array_dims {
            return false;
        }
        match (self.family, other.family) {
            (TypeFamily::Integer(a), TypeFamily::Integer(b)) => a == b,
            (TypeFamily::Text, TypeFamily::Text) => true,
            (TypeFamily::Numeric, TypeFamily::Numeric) => self.modifiers == other.modifiers,
            _ => self.base == other.base,
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.modifiers, self.base.split_once(" with")) {
            // `timestamp(3) with time zone`: modifiers go before the zone clause.
            (Some(m), Some((head, tail))) if head == "timestamp" || head == "time" => {
                write!(f, "{head}({m}) with{tail}")?
            }
            (Some(m), _) => write!(f, "{}({m})", self.base)?,
            (None, _) => f.write_str(&self.base)?,
        }
        for _ in 0..self.array_dims {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// Maps the many spellings of built-in types to the one `format_type()` uses.
fn canonical_base(name: &str) -> String {
    let lower = name
        .trim()
        .trim_start_matches("pg_catalog.")
        .trim_start_matches("public.")
        .to_ascii_lowercase();
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let canonical = match lower.as_str() {
        "int" | "int4" | "integer" | "serial" | "serial4" => "integer",
        "bigint" | "int8" | "bigserial" | "serial8" => "bigint",
        "smallint" | "int2" | "smallserial" | "serial2" => "smallint",
        "varchar" | "character varying" | "char varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "bool" | "boolean" => "boolean",
        "float4" | "real" => "real",
        "float8" | "double precision" | "double" => "double precision",
        "decimal" | "numeric" => "numeric",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "time" | "time without time zone" => "time without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        "varbit" | "bit varying" => "bit varying",
        other => other,
    };
    canonical.to_string()
}

fn family_of(base: &str) -> TypeFamily {
    match base {
        "integer" => TypeFamily::Integer(32),
        "bigint" => TypeFamily::Integer(64),
        "smallint" => TypeFamily::Integer(16),
        "tinyint" => TypeFamily::Integer(8),
        "numeric" | "smallmoney_exact" => TypeFamily::Numeric,
        "real" | "double precision" | "float" => TypeFamily::Float,
        "money" | "smallmoney" => TypeFamily::Money,
        "text" | "character varying" | "character" | "citext" | "name" | "nvarchar" | "nchar"
        | "ntext" | "varchar(max)" | "nvarchar(max)" | "string" | "clob" => TypeFamily::Text,
        "boolean" | "bit" => TypeFamily::Boolean,
        "timestamp without time zone" | "datetime" | "datetime2" | "smalldatetime" => {
            TypeFamily::Timestamp {
                with_time_zone: false,
            }
        }
        "timestamp with time zone" | "datetimeoffset" => TypeFamily::Timestamp {
            with_time_zone: true,
        },
        "date" => TypeFamily::Date,
        "time without time zone" | "time with time zone" => TypeFamily::Time,
        "interval" => TypeFamily::Interval,
        "uuid" | "uniqueidentifier" => TypeFamily::Uuid,
        "json" | "jsonb" => TypeFamily::Json,
        "bytea" | "varbinary" | "binary" | "image" | "blob" => TypeFamily::Binary,
        "inet" | "cidr" | "macaddr" | "macaddr8" => TypeFamily::Network,
        _ => TypeFamily::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_normalize_like_format_type() {
        assert_eq!(ColumnType::parse("int4").to_string(), "integer");
        assert_eq!(ColumnType::parse("serial").to_string(), "integer");
        assert_eq!(
            ColumnType::parse("VARCHAR(45)").to_string(),
            "character varying(45)"
        );
        assert_eq!(
            ColumnType::parse("timestamp(3) with time zone").to_string(),
            "timestamp(3) with time zone"
        );
        assert_eq!(ColumnType::parse("text[]").to_string(), "text[]");
        assert_eq!(
            ColumnType::parse("numeric(10, 2)").to_string(),
            "numeric(10,2)"
        );
        assert_eq!(ColumnType::parse("pg_catalog.int8").to_string(), "bigint");
    }

    #[test]
    fn key_types_compare_by_family() {
        let int4 = ColumnType::parse("integer");
        assert!(int4.same_key_type(&ColumnType::parse("int4")));
        assert!(!int4.same_key_type(&ColumnType::parse("bigint")));
        assert!(ColumnType::parse("varchar(10)").same_key_type(&ColumnType::parse("text")));
        assert_eq!(int4.integer_max(), Some(2_147_483_647));
    }
}
