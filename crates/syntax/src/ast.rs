//! The abstract syntax tree: the contract between the parser and the compiler.
//!
//! The tree is shaped for a compiler that reproduces PUC-Rio Lua 5.1's code
//! generation (`lparser.c` + `lcode.c`) instruction for instruction, line
//! for line. Everything `lparser.c` decides while parsing is decided here
//! too, so the compiler never has to redo it:
//!
//! # Scopes are resolved
//!
//! Every variable reference is already [`ExprKind::Local`] (with the
//! register it lives in and its index in [`Function::locals`]),
//! [`ExprKind::Upvalue`] (an index into the *current* function's
//! [`Function::upvalues`]) or [`ExprKind::Global`] (its name). Upvalue lists
//! are built in the order `lparser.c` builds them (first reference first),
//! each [`UpvalDesc`] saying which parent local or parent upvalue it
//! captures, so `CLOSURE` can be followed by the same `MOVE`/`GETUPVAL`
//! pseudo-instructions.
//!
//! # Locals
//!
//! [`Function::locals`] lists every local in the order `lparser.c` registers
//! them (`f->locvars`), including the hidden ones it creates: `self` for
//! methods, `arg` for vararg functions (`LUA_COMPAT_VARARG`), and
//! `(for index)`, `(for limit)`, `(for step)`, `(for generator)`,
//! `(for state)`, `(for control)`. A local's register is its
//! [`LocalInfo::slot`]: locals occupy registers `0..nactvar` in order of
//! activation, exactly as in PUC-Rio. Statements refer to the locals they
//! declare by [`LocalId`] (index into `locals`).
//!
//! Scope (for `startpc`/`endpc`) follows `lparser.c`: parameters, `self` and
//! `arg` are active from the function's start; the names of a `local`
//! statement become active after the whole statement (after its
//! expressions); a `local function` name before its body; the three `for`
//! control locals after the loop-head expressions (at `forbody`), and the
//! loop variables inside the loop's own inner scope that encloses the body.
//! A local stays active until the end of the [`Block`] that declares it
//! (for `repeat`, after the `until` condition). A compiler that keeps a stack
//! of active locals, pushes at those points and pops to the entry level at
//! each block end, reproduces `locvars` exactly.
//!
//! Captured locals: [`LocalInfo::captured`] is set when any inner function
//! refers to the local. [`Block::needs_close`] is PUC-Rio's `bl->upval` when
//! the block is left (emit `CLOSE` there); [`StatKind::Break::needs_close`]
//! is what `breakstat` computes at the `break` (it sees only captures that
//! appear textually before the `break`, which is what luac does). Function
//! bodies and the main chunk are not blocks in `lparser.c` (no `CLOSE` is
//! emitted at their end; `RETURN` closes), so their `needs_close` is false.
//!
//! # Lines
//!
//! A token's line is the line on which the token *ends* (PUC-Rio's
//! `ls->linenumber` right after reading it); it differs from the line it
//! starts on only for strings that span lines. `lcode.c` stamps each
//! instruction with `ls->lastline`, the line of the last token consumed
//! when the instruction is emitted, so the tree records those lines:
//!
//! * [`Expr::line`]: the line of the expression's first token;
//!   [`Expr::end_line`]: `lastline` right after the expression, i.e. the
//!   line of its last token. (One quirk is kept: in a table constructor an
//!   item that starts with a name makes PUC-Rio read one token ahead, so for
//!   that name `end_line` is the line of the token after it, as in luac.)
//! * [`Stat::line`]: the line of the statement's first token (its keyword);
//!   [`Stat::end_line`]: the line of its last token (`end`, `until` cond,
//!   last expression...), not counting a trailing `;`.
//! * [`Block::end_line`]: `lastline` when the block ends (the last token
//!   inside it, including `;`, or the token before the block when empty):
//!   the line of the `CLOSE` at block exit and of the jumps `if`/`while` emit
//!   after a block.
//! * Binary operators carry the operator token's line ([`BinaryOp::line`],
//!   the line of code `luaK_infix` emits); the line of `luaK_posfix`'s code
//!   is the right operand's `end_line`.
//! * Calls carry the line of the token that opens the arguments
//!   ([`CallArgs::line`], the line luac gives `CALL`); the prefix's line is
//!   the previous suffix's (or the base's) `end_line`.
//! * [`ExprList::comma_lines`]: the line of each `,` (luac discharges a
//!   list item into its register after reading the comma that follows it).
//! * [`Table::prev_line`] and [`ExprKind::Vararg`]'s line: `lastline` when
//!   the `{` or `...` is reached (luac emits `NEWTABLE`/`VARARG` then).
//! * [`TableItem::sep_line`]: line of the `,`/`;` after the item (0 if none).
//! * Functions: [`Function::line_defined`] (as luac records it: the
//!   `function` keyword for `function name()` statements, the `(` for
//!   `local function` and function expressions) and
//!   [`Function::last_line_defined`] (the `end`).
//!
//! # Shapes
//!
//! Postfix chains (`a.b[c]:d(e)(f)`) are one [`SuffixedExpr`]: a base and a
//! list of suffixes, as `primaryexp` loops over them. A chain of binary
//! operators handled by one `subexpr` loop is one [`BinaryExpr`] (`first`
//! then `(op, rhs)` pairs applied left to right). So every `Box` nesting in
//! the tree corresponds to a nesting level PUC-Rio counts (at most 200), and
//! recursive tree walkers cannot be driven arbitrarily deep by long `a.b.c...`
//! or `1+1+1...` chains.
//!
//! Parenthesised expressions are kept ([`ExprKind::Paren`]): `(f())` yields
//! one value, `f()` many. Field access by name (`a.b`) and by expression
//! (`a[b]`), method calls, and table items (positional, `[k]=v`, `name=v`)
//! are kept apart and in source order. Numbers are already converted to
//! `f64`; strings are the bytes after escape processing.
//!
//! Lists that usually hold one or two elements are [`SmallVec`]s (they
//! deref to slices), names and strings are shared [`Bytes`], and a call's
//! arguments are boxed: the tree stays small and cheap to build.
//!
//! # Limits the parser enforces (as PUC-Rio does)
//!
//! At most 200 nesting levels (`LUAI_MAXCCALLS`, counted from the C-call
//! depth given to `parse_with_level`), 200 active locals per function, 60
//! upvalues per function. Code-generation limits (registers, constants,
//! jump lengths) are the compiler's business.

pub use smallvec::SmallVec;

/// A line number (1-based; 0 means "none" where documented).
pub type Line = u32;

/// A name or string literal: raw bytes (Lua source is not UTF-8). Shared:
/// the parser gives equal names (and equal escape-free strings) of a chunk
/// one allocation. Use it as `&[u8]` (`&name[..]`); compare contents.
pub type Bytes = std::sync::Arc<[u8]>;

/// Index of a local in its function's [`Function::locals`].
pub type LocalId = u32;

/// A parsed chunk: the main function of a source file or string.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// The chunk name as given to the parser (`@file`, `=stdin`, source...).
    pub name: Bytes,
    /// The main function: no parameters, vararg, `line_defined` 0.
    pub main: Function,
}

/// A function body (the main chunk or a `function ... end`).
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Line luac records as `linedefined` (0 for the main chunk).
    pub line_defined: Line,
    /// Line of the closing `end` (0 for the main chunk).
    pub last_line_defined: Line,
    /// Number of fixed parameters, `self` included, `arg` excluded
    /// (PUC-Rio's `numparams`).
    pub num_params: u8,
    /// Declared with `...` (always true for the main chunk).
    pub is_vararg: bool,
    /// A local named `arg` follows the parameters (`VARARG_HASARG`): every
    /// vararg function except the main chunk has it.
    pub has_arg: bool,
    /// The `arg` table must be built at call time (`VARARG_NEEDSARG`): the
    /// function is vararg, has `arg`, and never uses `...`.
    pub needs_arg: bool,
    /// Upvalues in the order luac numbers them.
    pub upvalues: Vec<UpvalDesc>,
    /// Every local in registration order (luac's `locvars`).
    pub locals: Vec<LocalInfo>,
    /// The statements.
    pub body: Block,
    /// Set when a [`FunctionSink`](crate::FunctionSink) took the function
    /// as it closed (its number there): `body` and `locals` are then
    /// empty, the rest is as parsed.
    pub taken: Option<u32>,
}

impl Function {
    /// PUC-Rio's `is_vararg` byte: `VARARG_HASARG` (1) | `VARARG_ISVARARG`
    /// (2) | `VARARG_NEEDSARG` (4).
    pub fn vararg_flags(&self) -> u8 {
        (self.has_arg as u8) | ((self.is_vararg as u8) << 1) | ((self.needs_arg as u8) << 2)
    }
}

/// How a function reaches one of its upvalues.
#[derive(Clone, Debug, PartialEq)]
pub struct UpvalDesc {
    /// The variable's name.
    pub name: Bytes,
    /// What it captures in the enclosing function.
    pub source: UpvalSource,
}

/// What an upvalue captures in the enclosing function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpvalSource {
    /// A local of the enclosing function (`MOVE 0 slot`).
    ParentLocal {
        /// The local's register in the parent.
        slot: u16,
        /// The local's index in the parent's `locals`.
        id: LocalId,
    },
    /// An upvalue of the enclosing function (`GETUPVAL 0 index`).
    ParentUpvalue(u16),
}

/// Debug and scope information of one local variable.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalInfo {
    /// Its name (hidden locals have names like `(for index)`).
    pub name: Bytes,
    /// Its register (= its position among the active locals).
    pub slot: u16,
    /// Some inner function refers to it (it becomes an upvalue).
    pub captured: bool,
}

/// A reference to a local from an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalRef {
    /// The register holding it.
    pub slot: u16,
    /// Its index in the function's `locals`.
    pub id: LocalId,
}

/// A sequence of statements with its own scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The statements, in order.
    pub stats: Vec<Stat>,
    /// `lastline` when the block ends (see the module doc).
    pub end_line: Line,
    /// A local declared directly in this block is captured: emit `CLOSE`
    /// when leaving it (PUC-Rio's `bl->upval`).
    pub needs_close: bool,
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    /// What the statement is.
    pub kind: StatKind,
    /// Line of the first token.
    pub line: Line,
    /// Line of the last token (before any `;`).
    pub end_line: Line,
}

/// The kinds of statement.
#[derive(Clone, Debug, PartialEq)]
pub enum StatKind {
    /// A function call used as a statement (the chain ends in a call).
    Call(Box<SuffixedExpr>),
    /// `targets = exprs`. Each target is a `Local`, `Upvalue`, `Global`, or a
    /// `Suffixed` expression ending in a `Field` or `Index` suffix.
    Assign {
        /// The assigned variables and fields, left to right.
        targets: SmallVec<[Expr; 1]>,
        /// The values, left to right.
        exprs: ExprList,
    },
    /// `local names [= exprs]` (`exprs` empty when there is no `=`).
    Local {
        /// The new locals, in declaration order.
        locals: SmallVec<[LocalId; 2]>,
        /// The initial values (empty without `=`).
        exprs: ExprList,
    },
    /// `local function name body`.
    LocalFunction {
        /// The new local, in scope inside its own body.
        local: LocalId,
        /// The function body.
        func: Box<Function>,
    },
    /// `function a.b.c:m body`: `target` is the variable `a` or a `Suffixed`
    /// chain of `Field` suffixes; with `is_method`, its last field is the
    /// method name and `func` has the hidden `self` parameter.
    Function {
        /// The variable or field chain the function is stored into.
        target: Expr,
        /// Declared with `:` (a method with a hidden `self`).
        is_method: bool,
        /// The function body.
        func: Box<Function>,
    },
    /// `do block end`.
    Do(Block),
    /// `while cond do body end`.
    While(Box<WhileStat>),
    /// `repeat body until cond` (`cond` sees the body's locals).
    Repeat(Box<RepeatStat>),
    /// `if c then b {elseif c then b} [else b] end`.
    If(Box<IfStat>),
    /// `for var = start, limit [, step] do body end`.
    NumericFor(Box<NumericFor>),
    /// `for vars in exprs do body end`.
    GenericFor(Box<GenericFor>),
    /// `return [exprs]`.
    Return {
        /// The returned values (empty for a bare `return`).
        exprs: ExprList,
    },
    /// `break`; `needs_close` as computed by `breakstat` (see module doc).
    Break {
        /// Leaving the loop closes captured locals (emit `CLOSE`).
        needs_close: bool,
    },
}

/// `while cond do body end`.
#[derive(Clone, Debug, PartialEq)]
pub struct WhileStat {
    /// The condition, evaluated before each iteration.
    pub cond: Expr,
    /// Line of `do`.
    pub do_line: Line,
    /// The loop body.
    pub body: Block,
}

/// `repeat body until cond`. The body's scope (and its `CLOSE`) extends
/// over `cond`: luac leaves it after the condition, at `cond.end_line`.
#[derive(Clone, Debug, PartialEq)]
pub struct RepeatStat {
    /// The loop body.
    pub body: Block,
    /// Line of `until`.
    pub until_line: Line,
    /// The condition, evaluated after each iteration.
    pub cond: Expr,
}

/// `if c then b {elseif c then b} [else b] end`.
#[derive(Clone, Debug, PartialEq)]
pub struct IfStat {
    /// The `if` arm and the `elseif` arms, in order (at least one).
    pub clauses: Vec<IfClause>,
    /// The `else` arm, if any.
    pub else_block: Option<ElseClause>,
}

/// `for var = start, limit [, step] do body end`. luac gives `FORLOOP` the
/// line of the `for` keyword ([`Stat::line`]).
#[derive(Clone, Debug, PartialEq)]
pub struct NumericFor {
    /// `(for index)`, `(for limit)`, `(for step)`.
    pub control: [LocalId; 3],
    /// The loop variable.
    pub var: LocalId,
    /// The initial value.
    pub start: Expr,
    /// The limit.
    pub limit: Expr,
    /// The step, when given (1 otherwise).
    pub step: Option<Expr>,
    /// Line of `do` (luac's `FORPREP` line).
    pub do_line: Line,
    /// The loop body.
    pub body: Block,
}

/// `for vars in exprs do body end`. luac gives `TFORLOOP` the line of the
/// first token of `exprs` (`exprs.exprs[0].line`).
#[derive(Clone, Debug, PartialEq)]
pub struct GenericFor {
    /// `(for generator)`, `(for state)`, `(for control)`.
    pub control: [LocalId; 3],
    /// The loop variables, in order.
    pub vars: SmallVec<[LocalId; 2]>,
    /// The expressions after `in` (adjusted to three values).
    pub exprs: ExprList,
    /// Line of `do` (luac's first `JMP` line).
    pub do_line: Line,
    /// The loop body.
    pub body: Block,
}

/// One `if`/`elseif` arm.
#[derive(Clone, Debug, PartialEq)]
pub struct IfClause {
    /// Line of the `if` or `elseif` keyword.
    pub line: Line,
    /// The condition.
    pub cond: Expr,
    /// Line of `then`.
    pub then_line: Line,
    /// The arm's statements.
    pub block: Block,
}

/// The `else` arm.
#[derive(Clone, Debug, PartialEq)]
pub struct ElseClause {
    /// Line of the `else` keyword.
    pub line: Line,
    /// The arm's statements.
    pub block: Block,
}

/// A comma-separated list of expressions.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExprList {
    /// The expressions, in order.
    pub exprs: SmallVec<[Expr; 1]>,
    /// `comma_lines[i]` is the line of the comma after `exprs[i]`
    /// (`exprs.len() - 1` entries, none when the list is empty).
    pub comma_lines: SmallVec<[Line; 2]>,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Line of the first token.
    pub line: Line,
    /// `lastline` after the expression: line of its last token.
    pub end_line: Line,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `nil`.
    Nil,
    /// `true`.
    True,
    /// `false`.
    False,
    /// `...`; the payload is `lastline` when `...` is reached (luac emits
    /// `VARARG` before consuming it).
    Vararg(Line),
    /// A numeric literal.
    Number(f64),
    /// A string literal (escapes resolved).
    String(Bytes),
    /// A local variable of the current function.
    Local(LocalRef),
    /// An upvalue: index into the current function's `upvalues`.
    Upvalue(u16),
    /// A global variable.
    Global(Bytes),
    /// `function body`.
    Function(Box<Function>),
    /// `{ ... }`.
    Table(Box<Table>),
    /// `( expr )`: truncates to one value; not assignable.
    Paren(Box<Expr>),
    /// A base followed by one or more field/index/call suffixes.
    Suffixed(Box<SuffixedExpr>),
    /// A left-to-right chain of binary operators.
    Binary(Box<BinaryExpr>),
    /// A unary operator.
    Unary(Box<UnaryExpr>),
}

/// `base suffix suffix ...` (at least one suffix).
#[derive(Clone, Debug, PartialEq)]
pub struct SuffixedExpr {
    /// A `Local`, `Upvalue`, `Global` or `Paren` expression.
    pub base: Expr,
    /// The suffixes, in order (at least one).
    pub suffixes: SmallVec<[Suffix; 1]>,
}

/// One step of a postfix chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Suffix {
    /// What the suffix is.
    pub kind: SuffixKind,
    /// Line of the suffix's first token (`.`, `[`, `:`, or for a call the
    /// token opening the arguments).
    pub line: Line,
    /// Line of its last token.
    pub end_line: Line,
}

/// The kinds of suffix.
#[derive(Clone, Debug, PartialEq)]
pub enum SuffixKind {
    /// `.name`
    Field {
        /// The field name.
        name: Bytes,
        /// Line of the name.
        name_line: Line,
    },
    /// `[key]`
    Index(Expr),
    /// `args`
    Call(Box<CallArgs>),
    /// `:name args`
    Method {
        /// The method name.
        name: Bytes,
        /// Line of the method name.
        name_line: Line,
        /// The call's arguments.
        args: Box<CallArgs>,
    },
}

/// The arguments of a call.
#[derive(Clone, Debug, PartialEq)]
pub struct CallArgs {
    /// How the arguments were written.
    pub style: ArgStyle,
    /// For `ArgStyle::String` and `ArgStyle::Table`, one `String`/`Table`
    /// expression.
    pub list: ExprList,
    /// Line of the token that opens the arguments: `(`, the string, or `{`.
    /// luac gives the `CALL` instruction this line.
    pub line: Line,
}

impl CallArgs {
    /// No arguments yet (`()`, line 0): a value to fill in.
    pub fn empty() -> CallArgs {
        CallArgs {
            style: ArgStyle::Parens,
            list: ExprList::default(),
            line: 0,
        }
    }
}

/// How the arguments were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgStyle {
    /// `f(a, b)`
    Parens,
    /// `f"s"` / `f[[s]]`
    String,
    /// `f{...}`
    Table,
}

/// A table constructor.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The items, in source order.
    pub items: Vec<TableItem>,
    /// `lastline` when the `{` is reached (the line luac gives `NEWTABLE`).
    pub prev_line: Line,
}

/// One item of a table constructor.
#[derive(Clone, Debug, PartialEq)]
pub struct TableItem {
    /// What the item is.
    pub kind: TableItemKind,
    /// Line of the item's first token.
    pub line: Line,
    /// Line of the `,` or `;` after the item, 0 if none.
    pub sep_line: Line,
    /// `Named` and `Keyed` items: `lastline` after the `=` (the line of the
    /// `=`), when luac turns the key into an RK operand (a `LOADK` when the
    /// function has more than 256 constants). 0 for positional items.
    pub eq_line: Line,
}

/// The kinds of table item.
#[derive(Clone, Debug, PartialEq)]
pub enum TableItemKind {
    /// `value` (goes to the array part, in order).
    Positional(Expr),
    /// `name = value`
    Named {
        /// The key, a string.
        name: Bytes,
        /// The value.
        value: Expr,
    },
    /// `[key] = value`
    Keyed {
        /// The key expression.
        key: Expr,
        /// The value.
        value: Expr,
    },
}

/// `first op rhs op rhs ...`, evaluated left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct BinaryExpr {
    /// The leftmost operand.
    pub first: Expr,
    /// The operators with their right operands, left to right.
    pub ops: SmallVec<[BinaryOp; 1]>,
}

/// One operator and its right operand.
#[derive(Clone, Debug, PartialEq)]
pub struct BinaryOp {
    /// The operator.
    pub op: BinOp,
    /// Line of the operator token.
    pub line: Line,
    /// The right operand.
    pub rhs: Expr,
}

/// `op operand`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnaryExpr {
    /// The operator.
    pub op: UnOp,
    /// Line of the operator token.
    pub line: Line,
    /// The operand.
    pub operand: Expr,
}

/// Binary operators, in PUC-Rio's `BinOpr` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^` (right associative)
    Pow,
    /// `..` (right associative)
    Concat,
    /// `~=`
    Ne,
    /// `==`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and` (short-circuit)
    And,
    /// `or` (short-circuit)
    Or,
}

impl BinOp {
    /// (left, right) priority as in `lparser.c`.
    pub fn priority(self) -> (u8, u8) {
        match self {
            BinOp::Add | BinOp::Sub => (6, 6),
            BinOp::Mul | BinOp::Div | BinOp::Mod => (7, 7),
            BinOp::Pow => (10, 9),
            BinOp::Concat => (5, 4),
            BinOp::Ne | BinOp::Eq | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => (3, 3),
            BinOp::And => (2, 2),
            BinOp::Or => (1, 1),
        }
    }

    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Concat => "..",
            BinOp::Ne => "~=",
            BinOp::Eq => "==",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }
}

/// Priority of unary operators (binds tighter than everything but `^`).
pub const UNARY_PRIORITY: u8 = 8;

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-`
    Neg,
    /// `not`
    Not,
    /// `#`
    Len,
}

impl UnOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Not => "not",
            UnOp::Len => "#",
        }
    }
}

impl SuffixedExpr {
    /// The chain ends in a call (it can be a call statement, and yields
    /// multiple results).
    pub fn is_call(&self) -> bool {
        matches!(
            self.suffixes.last().map(|s| &s.kind),
            Some(SuffixKind::Call(_) | SuffixKind::Method { .. })
        )
    }
}
