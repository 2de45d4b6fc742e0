//! A small OData v4 `$filter` parser and evaluator: comparisons (`eq ne gt ge lt le`), `and`,
//! `or`, `not`, parentheses, `contains/startswith/endswith`, and lambdas over a collection
//! (`systemuserroles_association/any(r:r/_roletemplateid_value eq …)`). Literals: `null`,
//! `true`/`false`, numbers, `'strings'` (`''` escapes a quote) and GUIDs unquoted or quoted.
//! Rows are JSON objects; a collection is an array of objects under the navigation name.
//! Also used for the Power Platform API's `$filter`.

use serde_json::{Map, Value};

use super::lex::{lex, Tok};

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp(Operand, Op, Operand),
    Func(String, Operand, Operand),
    /// `nav/any(var: body)`; `body` None for `nav/any()`.
    Lambda {
        all: bool,
        nav: String,
        var: String,
        body: Option<Box<Expr>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Lit(Value),
    /// Path segments, e.g. `["r", "roleid"]` inside a lambda.
    Prop(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// Which properties and collections a row type has, for "Could not find a property" errors.
pub struct Schema<'a> {
    pub props: &'a [&'a str],
    pub navs: &'a [(&'a str, &'a Schema<'a>)],
}

pub fn parse(text: &str) -> Result<Expr, String> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
    };
    let e = p.or()?;
    if p.at != p.toks.len() {
        return Err(format!("Syntax error at position {} in '{text}'.", p.at));
    }
    Ok(e)
}

/// Deeper nesting than any real query needs; keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;
/// Long `and`/`or` chains build deep trees too; no real query comes near this.
pub(super) const MAX_TOKENS: usize = 2000;

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.toks.get(self.at), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn eat(&mut self, t: &Tok) -> Result<(), String> {
        if self.toks.get(self.at) == Some(t) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("Expected {t:?} at position {}.", self.at))
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut l = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            l = Expr::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut l = self.unary()?;
        while self.peek_word("and") {
            self.at += 1;
            l = Expr::And(Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("The $filter is nested too deeply.".into());
        }
        let e = self.unary_inner();
        self.depth -= 1;
        e
    }

    fn unary_inner(&mut self) -> Result<Expr, String> {
        if self.peek_word("not") {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.toks.get(self.at) == Some(&Tok::Open) {
            self.at += 1;
            let e = self.or()?;
            self.eat(&Tok::Close)?;
            return Ok(e);
        }
        if let Some(Tok::Word(f)) = self.toks.get(self.at) {
            let f = f.to_ascii_lowercase();
            if ["contains", "startswith", "endswith"].contains(&f.as_str())
                && self.toks.get(self.at + 1) == Some(&Tok::Open)
            {
                self.at += 2;
                let a = self.operand()?;
                self.eat(&Tok::Comma)?;
                let b = self.operand()?;
                self.eat(&Tok::Close)?;
                return Ok(Expr::Func(f, a, b));
            }
        }
        let left = self.operand()?;
        if let Operand::Prop(path) = &left {
            if let Some(last) = path.last().map(|s| s.to_ascii_lowercase()) {
                if (last == "any" || last == "all") && self.toks.get(self.at) == Some(&Tok::Open) {
                    return self.lambda(path, last == "all");
                }
            }
        }
        let op = match self.toks.get(self.at) {
            Some(Tok::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "eq" => Op::Eq,
                "ne" => Op::Ne,
                "gt" => Op::Gt,
                "ge" => Op::Ge,
                "lt" => Op::Lt,
                "le" => Op::Le,
                other => return Err(format!("Unknown operator '{other}'.")),
            },
            _ => {
                return Err(format!(
                    "Expected a comparison operator at position {}.",
                    self.at
                ))
            }
        };
        self.at += 1;
        Ok(Expr::Cmp(left, op, self.operand()?))
    }

    fn lambda(&mut self, path: &[String], all: bool) -> Result<Expr, String> {
        let nav = path[..path.len() - 1].join("/");
        self.eat(&Tok::Open)?;
        if self.toks.get(self.at) == Some(&Tok::Close) {
            self.at += 1;
            return Ok(Expr::Lambda {
                all,
                nav,
                var: String::new(),
                body: None,
            });
        }
        let var = match self.toks.get(self.at) {
            Some(Tok::Word(v)) => v.clone(),
            _ => return Err("Expected a lambda variable.".into()),
        };
        self.at += 1;
        self.eat(&Tok::Colon)?;
        let body = self.or()?;
        self.eat(&Tok::Close)?;
        Ok(Expr::Lambda {
            all,
            nav,
            var,
            body: Some(Box::new(body)),
        })
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let t = self
            .toks
            .get(self.at)
            .cloned()
            .ok_or("Unexpected end of $filter.")?;
        self.at += 1;
        Ok(match t {
            Tok::Str(s) => Operand::Lit(Value::String(s)),
            Tok::Num(n) => {
                Operand::Lit(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("null") => Operand::Lit(Value::Null),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Operand::Lit(Value::Bool(true)),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Operand::Lit(Value::Bool(false)),
            Tok::Word(w) => {
                let mut path = vec![w];
                while self.toks.get(self.at) == Some(&Tok::Slash) {
                    match self.toks.get(self.at + 1) {
                        Some(Tok::Word(n)) => path.push(n.clone()),
                        _ => return Err("Expected a property after '/'.".into()),
                    }
                    self.at += 2;
                }
                Operand::Prop(path)
            }
            other => return Err(format!("Unexpected {other:?} in $filter.")),
        })
    }
}

/// The first property the expression names that the schema does not have.
pub fn unknown_property(e: &Expr, schema: &Schema, var: Option<(&str, &Schema)>) -> Option<String> {
    let check = |o: &Operand| -> Option<String> {
        let Operand::Prop(path) = o else { return None };
        let (s, name) = match (path.as_slice(), var) {
            ([v, p], Some((name, inner))) if v == name => (inner, p),
            ([p], _) => (schema, p),
            _ => return Some(path.join("/")),
        };
        (!has_prop(s, name)).then(|| name.clone())
    };
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => {
            unknown_property(a, schema, var).or_else(|| unknown_property(b, schema, var))
        }
        Expr::Not(a) => unknown_property(a, schema, var),
        Expr::Cmp(a, _, b) | Expr::Func(_, a, b) => check(a).or_else(|| check(b)),
        Expr::Lambda {
            nav, var: v, body, ..
        } => {
            let Some((_, inner)) = schema
                .navs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(nav))
            else {
                return Some(nav.clone());
            };
            body.as_ref()
                .and_then(|b| unknown_property(b, schema, Some((v.as_str(), inner))))
        }
    }
}

fn has_prop(s: &Schema, name: &str) -> bool {
    s.props.iter().any(|p| p.eq_ignore_ascii_case(name))
        || s.props
            .iter()
            .any(|p| p.eq_ignore_ascii_case(&format!("_{name}_value")))
}

pub fn eval(e: &Expr, row: &Map<String, Value>) -> bool {
    eval_in(e, row, None)
}

fn eval_in(e: &Expr, row: &Map<String, Value>, var: Option<(&str, &Map<String, Value>)>) -> bool {
    let get = |o: &Operand| -> Value {
        match o {
            Operand::Lit(v) => v.clone(),
            Operand::Prop(path) => match (path.as_slice(), var) {
                ([v, p], Some((name, inner))) if v == name => lookup(inner, p),
                ([p], _) => lookup(row, p),
                _ => Value::Null,
            },
        }
    };
    match e {
        Expr::And(a, b) => eval_in(a, row, var) && eval_in(b, row, var),
        Expr::Or(a, b) => eval_in(a, row, var) || eval_in(b, row, var),
        Expr::Not(a) => !eval_in(a, row, var),
        Expr::Cmp(a, op, b) => compare(&get(a), *op, &get(b)),
        Expr::Func(f, a, b) => {
            let (Value::String(x), Value::String(y)) = (get(a), get(b)) else {
                return false;
            };
            let (x, y) = (x.to_lowercase(), y.to_lowercase());
            match f.as_str() {
                "contains" => x.contains(&y),
                "startswith" => x.starts_with(&y),
                _ => x.ends_with(&y),
            }
        }
        Expr::Lambda {
            all,
            nav,
            var: v,
            body,
        } => {
            let items: Vec<&Map<String, Value>> = row
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(nav))
                .and_then(|(_, v)| v.as_array())
                .map(|a| a.iter().filter_map(Value::as_object).collect())
                .unwrap_or_default();
            let test = |m: &&Map<String, Value>| {
                body.as_ref()
                    .is_none_or(|b| eval_in(b, row, Some((v.as_str(), m))))
            };
            if *all {
                items.iter().all(test)
            } else {
                items.iter().any(test)
            }
        }
    }
}

/// A property, or the `_x_value` of a lookup named `x`, case-insensitively.
fn lookup(row: &Map<String, Value>, name: &str) -> Value {
    let alias = format!("_{name}_value");
    row.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .or_else(|| row.iter().find(|(k, _)| k.eq_ignore_ascii_case(&alias)))
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null)
}

fn compare(a: &Value, op: Op, b: &Value) -> bool {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::String(x), Value::String(y)) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .zip(y.as_f64())
            .and_then(|(x, y)| x.partial_cmp(&y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    };
    match (op, ord) {
        (Op::Eq, o) => o == Some(Ordering::Equal),
        (Op::Ne, o) => o != Some(Ordering::Equal),
        (_, None) => false,
        (Op::Gt, Some(o)) => o == Ordering::Greater,
        (Op::Ge, Some(o)) => o != Ordering::Less,
        (Op::Lt, Some(o)) => o == Ordering::Less,
        (Op::Le, Some(o)) => o != Ordering::Greater,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row() -> Map<String, Value> {
        json!({"name": "O'Neil", "_businessunitid_value": "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb", "n": 3, "x": null,
               "systemuserroles_association": [{"_roletemplateid_value": "627090ff-40a3-4053-8790-584edc5be201"}]})
        .as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn parses_and_evaluates() {
        let r = row();
        for (f, want) in [
            ("name eq 'o''neil'", true),
            ("_businessunitid_value eq AAAAAAAA-0000-1111-2222-bbbbbbbbbbbb", true),
            ("businessunitid eq 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'", true),
            ("x eq null and n gt 2", true),
            ("not (n ge 3) or startswith(name,'zz')", false),
            ("systemuserroles_association/any(r:r/_roletemplateid_value eq 627090ff-40a3-4053-8790-584edc5be201)", true),
            ("systemuserroles_association/any()", true),
        ] {
            let e = parse(f).unwrap_or_else(|m| panic!("{f}: {m}"));
            assert_eq!(eval(&e, &r), want, "{f}");
        }
        let deep = format!("{}n eq 1{}", "(".repeat(100_000), ")".repeat(100_000));
        let nots = format!("{}n eq 1", "not ".repeat(100_000));
        let chain = vec!["n eq 1"; 100_000].join(" and ");
        for bad in [
            "name eq",
            "name zz 'a'",
            "(name eq 'a'",
            "'open",
            "name eq 'a' )",
            "a/any(r r/x eq 1)",
            &deep,
            &nots,
            &chain,
        ] {
            assert!(parse(bad).is_err(), "{}", &bad[..bad.len().min(40)]);
        }
    }
}
