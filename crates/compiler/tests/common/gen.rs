//! A deterministic generator of random valid Lua 5.1 programs, shaped to
//! exercise the code generator: every statement kind, every operator,
//! and/or/not in value and jump context, constants on both sides of
//! comparisons, nested functions with upvalues, varargs, multiple
//! assignment with conflicts, constructors, method calls, loops with
//! `break` and captured loop variables, statements spread over several
//! lines. Programs stay inside luac's limits (few locals, shallow nesting).

/// xorshift64*: small, deterministic, good enough for shapes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        (self.next() % n as u64) as u32
    }

    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

/// One function being generated: its visible locals and whether it is
/// vararg.
struct Scope {
    /// Names visible, innermost last, with their block depth.
    locals: Vec<String>,
    vararg: bool,
}

pub struct Gen {
    rng: Rng,
    out: String,
    /// Enclosing functions (the last is the current one).
    funcs: Vec<Scope>,
    /// Expression nesting depth.
    depth: u32,
    /// Statement nesting depth.
    sdepth: u32,
    /// Inside a loop of the current function.
    loops: Vec<bool>,
    counter: u32,
    /// Nodes left to generate; when spent, only leaves are produced.
    budget: u32,
}

const GLOBALS: &[&str] = &["g", "h", "print", "t", "x", "y", "obj"];
const STRINGS: &[&str] = &[
    "a", "b", "x", "", "key", "a b", "\\n", "1", "10", "0x10", " 5 ",
];
/// String tokens that span lines (their line is the line they end on).
const MULTILINE_STRINGS: &[&str] = &["[[a\nb]]", "\"a\\\nb\"", "[==[\n]]\n]==]", "[[\n]]"];
const NUMBERS: &[&str] = &[
    "0", "1", "2", "3", "10", "0.5", "1e3", "255", "256", "-1", "0x10", "3.25", "1e300", ".5",
    "5.", "1E2", "0xff", "1e-5", "1e309", "2^1024", "0.1", "-0",
];
const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or",
];

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::new(seed),
            out: String::new(),
            funcs: vec![Scope {
                locals: Vec::new(),
                vararg: true,
            }],
            depth: 0,
            sdepth: 0,
            loops: vec![false],
            counter: 0,
            budget: 0,
        }
    }

    /// A whole program.
    pub fn program(mut self) -> String {
        self.budget = 100 + self.rng.below(400);
        self.maybe_many_constants();
        let n = 3 + self.rng.below(12);
        self.block_body(n);
        self.out
    }

    fn fresh(&mut self) -> String {
        self.counter += 1;
        format!("v{}", self.counter)
    }

    fn nl(&mut self) {
        // Sometimes break lines inside expressions and statements, or put
        // a comment there.
        match self.rng.below(100) {
            0..=7 => self.out.push('\n'),
            8 => self.out.push_str(" --[[ c\n\n ]] "),
            9 => self.out.push_str(" -- c\n"),
            _ => self.out.push(' '),
        }
    }

    fn scope(&self) -> &Scope {
        &self.funcs[self.funcs.len() - 1]
    }

    fn scope_mut(&mut self) -> &mut Scope {
        let n = self.funcs.len() - 1;
        &mut self.funcs[n]
    }

    /// A variable name: a local, an upvalue or a global.
    fn var_name(&mut self) -> String {
        let r = self.rng.below(10);
        let n = self.funcs.len();
        if r < 5 && !self.scope().locals.is_empty() {
            let len = self.scope().locals.len() as u32;
            let i = self.rng.below(len) as usize;
            return self.scope().locals[i].clone();
        }
        if r < 7 && n > 1 {
            let f = self.rng.below(n as u32 - 1) as usize;
            let len = self.funcs[f].locals.len() as u32;
            if len > 0 {
                let i = self.rng.below(len) as usize;
                return self.funcs[f].locals[i].clone();
            }
        }
        GLOBALS[self.rng.below(GLOBALS.len() as u32) as usize].to_string()
    }

    fn simple(&mut self) {
        match self.rng.below(9) {
            0 => self.out.push_str("nil"),
            1 => self.out.push_str("true"),
            2 => self.out.push_str("false"),
            3 | 4 => {
                let s = NUMBERS[self.rng.below(NUMBERS.len() as u32) as usize];
                self.out.push_str(s);
            }
            5 if self.rng.chance(15) => {
                let s = MULTILINE_STRINGS[self.rng.below(MULTILINE_STRINGS.len() as u32) as usize];
                self.out.push_str(s);
            }
            5 => {
                let s = STRINGS[self.rng.below(STRINGS.len() as u32) as usize];
                self.out.push('"');
                self.out.push_str(s);
                self.out.push('"');
            }
            6 if self.scope().vararg => self.out.push_str("..."),
            _ => {
                let v = self.var_name();
                self.out.push_str(&v);
            }
        }
    }

    /// A prefix expression with suffixes (indexing, calls, methods).
    fn suffixed(&mut self, want_call: bool) {
        self.suffixed_at(want_call, false)
    }

    /// `at_stat`: the expression starts a statement, where a `(` would be
    /// ambiguous after a newline.
    fn suffixed_at(&mut self, want_call: bool, at_stat: bool) {
        if !at_stat && self.rng.chance(15) && self.depth < 6 {
            self.out.push('(');
            self.expr();
            self.out.push(')');
        } else {
            let v = self.var_name();
            self.out.push_str(&v);
        }
        let n = self.rng.below(3) + want_call as u32;
        for i in 0..n {
            let last = i + 1 == n;
            let r = if last && want_call {
                3 + self.rng.below(2)
            } else {
                self.rng.below(5)
            };
            match r {
                0 => {
                    self.out.push('.');
                    let s = ["a", "b", "x", "n"][self.rng.below(4) as usize];
                    self.out.push_str(s);
                }
                1 | 2 => {
                    self.out.push_str("[ ");
                    self.expr();
                    self.out.push(']');
                }
                3 => {
                    self.out.push(':');
                    self.out
                        .push_str(["m", "get", "x"][self.rng.below(3) as usize]);
                    self.args();
                }
                _ => self.args(),
            }
        }
    }

    fn args(&mut self) {
        match self.rng.below(8) {
            0 => self.out.push_str("\"s\""),
            1 => self.table(),
            _ => {
                self.out.push('(');
                self.exprlist(4);
                self.out.push(')');
            }
        }
    }

    fn exprlist(&mut self, max: u32) {
        let n = self.rng.below(max + 1);
        for i in 0..n {
            if i > 0 {
                self.out.push(',');
                self.nl();
            }
            self.expr();
        }
    }

    fn exprlist1(&mut self, max: u32) {
        let n = 1 + self.rng.below(max);
        for i in 0..n {
            if i > 0 {
                self.out.push(',');
                self.nl();
            }
            self.expr();
        }
    }

    fn table(&mut self) {
        self.out.push('{');
        let n = if self.rng.chance(5) && self.budget > 0 {
            self.budget = self.budget.saturating_sub(20);
            50 + self.rng.below(60)
        } else {
            self.rng.below(6)
        };
        for i in 0..n {
            if i > 0 {
                self.out
                    .push_str(if self.rng.chance(80) { "," } else { ";" });
                self.nl();
            }
            match self.rng.below(6) {
                0 => {
                    let s = ["a", "b", "x", "n"][self.rng.below(4) as usize];
                    self.out.push_str(s);
                    self.nl();
                    self.out.push('=');
                    self.nl();
                    self.expr();
                }
                1 => {
                    self.out.push_str("[ ");
                    self.expr();
                    self.out.push(']');
                    self.nl();
                    self.out.push('=');
                    self.expr();
                }
                _ => {
                    if n > 20 {
                        self.simple();
                    } else {
                        self.expr();
                    }
                }
            }
        }
        if n > 0 && self.rng.chance(20) {
            self.out.push(',');
        }
        self.out.push('}');
    }

    /// An expression.
    pub fn expr(&mut self) {
        self.depth += 1;
        self.budget = self.budget.saturating_sub(1);
        if self.depth > 5 || self.budget == 0 {
            self.simple();
            self.depth -= 1;
            return;
        }
        match self.rng.below(16) {
            0..=3 => self.simple(),
            4 | 5 => self.suffixed(false),
            6 => self.suffixed(true),
            7..=10 => {
                // a chain of binary operators
                self.expr();
                let n = 1 + self.rng.below(3);
                for _ in 0..n {
                    self.nl();
                    let op = BINOPS[self.rng.below(BINOPS.len() as u32) as usize];
                    self.out.push_str(op);
                    self.nl();
                    if self.rng.chance(30) {
                        self.simple();
                    } else {
                        self.expr();
                    }
                }
            }
            11 => {
                let op = ["- ", "not ", "#", "-(", "not not "][self.rng.below(5) as usize];
                self.out.push_str(op);
                self.expr();
                if op == "-(" {
                    self.out.push(')');
                }
            }
            12 => {
                self.out.push('(');
                self.expr();
                self.out.push(')');
            }
            13 => self.table(),
            14 if self.funcs.len() < 4 => {
                self.out.push_str("function");
                self.function_body(false)
            }
            _ => {
                // a comparison with a constant on either side
                if self.rng.chance(50) {
                    self.simple();
                    self.out
                        .push_str([" < ", " == ", " >= ", " ~= "][self.rng.below(4) as usize]);
                    self.suffixed(false);
                } else {
                    self.suffixed(false);
                    self.out
                        .push_str([" <= ", " > ", " == ", " ~= "][self.rng.below(4) as usize]);
                    self.simple();
                }
            }
        }
        self.depth -= 1;
    }

    /// `function (params) body end`.
    fn function_body(&mut self, method: bool) {
        self.out.push('(');
        let np = self.rng.below(3);
        let vararg = self.rng.chance(40);
        let mut params = Vec::new();
        if method {
            params.push("self".to_string());
        }
        for i in 0..np {
            let p = self.fresh();
            if i > 0 {
                self.out.push_str(", ");
            }
            self.out.push_str(&p);
            params.push(p);
        }
        if vararg {
            if np > 0 {
                self.out.push_str(", ");
            }
            self.out.push_str("...");
        }
        self.out.push(')');
        self.nl();
        let saved_depth = self.depth;
        self.depth = 0;
        self.funcs.push(Scope {
            locals: params,
            vararg,
        });
        self.loops.push(false);
        self.maybe_many_constants();
        let n = self.rng.below(5);
        self.block_body(n);
        self.loops.pop();
        self.funcs.pop();
        self.depth = saved_depth;
        self.out.push_str(" end");
    }

    /// Sometimes fills the constant table past luac's RK limit (256), so
    /// later constants go through `LOADK`.
    fn maybe_many_constants(&mut self) {
        if self.rng.chance(12) {
            let base = self.rng.below(1000);
            let items: Vec<String> = (0..260).map(|i| format!("\"c{}\"", base + i)).collect();
            let v = self.fresh();
            self.out
                .push_str(&format!("local {v} = {{{}}}\n", items.join(", ")));
        }
    }

    /// Statements of a block; its locals go out of scope at the end.
    fn block_body(&mut self, n: u32) {
        let saved = self.scope().locals.len();
        for _ in 0..n {
            self.stat();
            self.out
                .push_str(if self.rng.chance(10) { ";\n" } else { "\n" });
        }
        if self.rng.chance(15) {
            if *self.loops.last().unwrap_or(&false) && self.rng.chance(50) {
                self.out.push_str("break\n");
            } else {
                self.out.push_str("return");
                if self.rng.chance(70) {
                    self.out.push(' ');
                    self.exprlist1(3);
                }
                self.out.push('\n');
            }
        }
        self.scope_mut().locals.truncate(saved);
    }

    fn block(&mut self) {
        self.sdepth += 1;
        let n = if self.sdepth > 3 {
            self.rng.below(2)
        } else {
            self.rng.below(4)
        };
        self.block_body(n);
        self.sdepth -= 1;
    }

    fn loop_block(&mut self) {
        if let Some(l) = self.loops.last_mut() {
            let saved = *l;
            *l = true;
            self.block();
            if let Some(l) = self.loops.last_mut() {
                *l = saved;
            }
        }
    }

    fn assign_target(&mut self) {
        if self.rng.chance(40) {
            self.suffixed_at(false, true);
            self.out.push('.');
            self.out
                .push_str(["a", "b", "x"][self.rng.below(3) as usize]);
        } else if self.rng.chance(30) {
            let v = self.var_name();
            self.out.push_str(&v);
            self.out.push_str("[ ");
            self.expr();
            self.out.push(']');
        } else {
            let v = self.var_name();
            self.out.push_str(&v);
        }
    }

    fn declare(&mut self, names: &[String]) {
        let too_many = self.scope().locals.len() > 40;
        if too_many {
            return;
        }
        self.scope_mut().locals.extend(names.iter().cloned());
    }

    fn stat(&mut self) {
        self.budget = self.budget.saturating_sub(1);
        let deep = self.sdepth > 4 || self.budget == 0;
        match self.rng.below(if deep { 6 } else { 16 }) {
            0 | 1 => {
                // local declaration
                let n = 1 + self.rng.below(3);
                let names: Vec<String> = (0..n).map(|_| self.fresh()).collect();
                self.out.push_str("local ");
                self.out.push_str(&names.join(", "));
                if self.rng.chance(75) {
                    self.out.push_str(" =");
                    self.nl();
                    self.exprlist1(4);
                }
                self.declare(&names);
            }
            2 | 3 => {
                // assignment
                let n = 1 + self.rng.below(3);
                for i in 0..n {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.assign_target();
                }
                self.out.push_str(" =");
                self.nl();
                self.exprlist1(4);
            }
            4 | 5 => self.suffixed_at(true, true),
            6 => {
                self.out.push_str("do ");
                self.block();
                self.out.push_str(" end");
            }
            7 => {
                self.out.push_str("while ");
                self.expr();
                self.out.push_str(" do");
                self.nl();
                self.loop_block();
                self.out.push_str(" end");
            }
            8 => {
                self.out.push_str("repeat ");
                let saved = self.scope().locals.len();
                self.sdepth += 1;
                let n = self.rng.below(3);
                let outer = self.loops.last().copied().unwrap_or(false);
                if let Some(l) = self.loops.last_mut() {
                    *l = true;
                }
                for _ in 0..n {
                    self.stat();
                    self.out.push('\n');
                }
                if let Some(l) = self.loops.last_mut() {
                    *l = outer;
                }
                self.sdepth -= 1;
                self.out.push_str(" until ");
                self.expr();
                self.scope_mut().locals.truncate(saved);
            }
            9 => {
                self.out.push_str("if ");
                self.expr();
                self.out.push_str(" then");
                self.nl();
                self.block();
                let n = self.rng.below(3);
                for _ in 0..n {
                    self.out.push_str(" elseif ");
                    self.expr();
                    self.out.push_str(" then ");
                    self.block();
                }
                if self.rng.chance(50) {
                    self.out.push_str(" else ");
                    self.block();
                }
                self.out.push_str(" end");
            }
            10 => {
                let v = self.fresh();
                self.out.push_str(&format!("for {v} = "));
                self.expr();
                self.out.push_str(", ");
                self.expr();
                if self.rng.chance(50) {
                    self.out.push_str(", ");
                    self.expr();
                }
                self.out.push_str(" do");
                self.nl();
                let saved = self.scope().locals.len();
                self.declare(&[v]);
                self.loop_block();
                self.scope_mut().locals.truncate(saved);
                self.out.push_str(" end");
            }
            11 => {
                let n = 1 + self.rng.below(3);
                let names: Vec<String> = (0..n).map(|_| self.fresh()).collect();
                self.out.push_str(&format!("for {} in ", names.join(", ")));
                self.exprlist1(3);
                self.out.push_str(" do");
                self.nl();
                let saved = self.scope().locals.len();
                self.declare(&names);
                self.loop_block();
                self.scope_mut().locals.truncate(saved);
                self.out.push_str(" end");
            }
            12 if self.funcs.len() < 4 => {
                let v = self.fresh();
                self.out.push_str(&format!("local function {v} "));
                self.declare(&[v]);
                self.function_body(false);
            }
            13 if self.funcs.len() < 4 => {
                self.out.push_str("function ");
                let v = self.var_name();
                self.out.push_str(&v);
                let method = self.rng.chance(50);
                if self.rng.chance(50) {
                    self.out.push_str(".a");
                }
                if method {
                    self.out.push_str(":m");
                }
                self.function_body(method);
            }
            14 => {
                // a call with many arguments / vararg forwarding
                self.out.push_str("print(");
                self.exprlist(6);
                self.out.push(')');
            }
            _ => {
                let a = self.var_name();
                self.out.push_str(&format!("{a} = "));
                self.expr();
            }
        }
    }
}
