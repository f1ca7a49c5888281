//! Snapshots of the tree (in the compact form of `printer::dump`) for a
//! representative set of programs. The scope data in them (locals,
//! upvalues, line ranges) is checked against luac5.1 by
//! crates/lua/tests/ast_vs_luac_listing.rs; these snapshots pin the rest of
//! the shape so that any change to the AST is deliberate.

use ferrous_syntax::{check::check_chunk, parse, printer::dump};

fn snap(src: &str) -> String {
    let chunk = parse(src.as_bytes(), b"=snap").unwrap_or_else(|e| panic!("{e}"));
    check_chunk(&chunk).unwrap_or_else(|e| panic!("invariant: {e}"));
    dump(&chunk)
}

#[test]
fn locals_and_assignment() {
    insta::assert_snapshot!(snap(
        "local a, b = 1, 2\nlocal c\na, b = b, a\nx, y.z, t[1] = 1, 2, 3, 4\nlocal a = a\n"
    ));
}

#[test]
fn scopes_and_upvalues() {
    insta::assert_snapshot!(snap(
        "local x = 1
local function outer(p)
  local y = p
  return function(q)
    return function() return x, y, q, p end
  end
end
do local x = 2; g = function() return x end end
"
    ));
}

#[test]
fn varargs_and_arg() {
    insta::assert_snapshot!(snap(
        "local t = {...}
function a(...) return arg end
function b(x, ...) return select('#', ...) end
function c(...) local f = function(...) return ... end end
"
    ));
}

#[test]
fn control_structures() {
    insta::assert_snapshot!(snap(
        "if a then b() elseif c then d() else e() end
while i < 10 do i = i + 1 end
repeat local z = f() until z
for i = 1, 10, 2 do print(i) end
for k, v in pairs(t) do print(k, v) end
do return end
"
    ));
}

#[test]
fn break_and_close() {
    insta::assert_snapshot!(snap(
        "while true do
  local a
  if x then break end
  f = function() return a end
  if y then break end
end
for i = 1, 3 do fns[i] = function() return i end end
repeat local r; g = function() return r end until r
"
    ));
}

#[test]
fn expressions_and_precedence() {
    insta::assert_snapshot!(snap(
        "x = 1 + 2 * 3 ^ 4 ^ 5 .. 'a' .. 'b' == c and not d or -e < #f
y = (f()), f(), ..., (...)
z = a.b.c[d]:e(1)'s'{2}[3]
"
    ));
}

#[test]
fn literals() {
    insta::assert_snapshot!(snap(
        "n = {0, 1.5, .5, 5., 1e10, 1E-3, 0xff, 0x1p4, 1e400, 007}
s = {'a\\tb', \"\\65\\066\\0677\", '\\\\\\'\\\"', [[long]], [==[\nx]]y]==], 'a\\\nb'}
"
    ));
}

#[test]
fn tables() {
    insta::assert_snapshot!(snap(
        "t = {1, 2; a = 3, [4] = 5, f(), ...}
u = {}
v = {{}, {x = {y = {}}}}
w = {
  a
  , b
  ; c = 1
}
"
    ));
}

#[test]
fn calls_and_methods() {
    insta::assert_snapshot!(snap(
        "f()
f(1, 2)
f'x'
f[[y]]
f{}
o:m()
o:m(1)'s'{}
a.b.c:d(e)(g);
(f)()
f()()
"
    ));
}

#[test]
fn function_statements() {
    insta::assert_snapshot!(snap(
        "function f() end
function a.b.c() end
function a.b:m(x) return self end
local function g() return g end
local h = function() end
"
    ));
}

#[test]
fn multiline_lines() {
    insta::assert_snapshot!(snap(
        "local t =
{
  1,
  2
}
local v = a
  + b
  * c
f(
  1
  , 2
)
local s = [[
a
b]] .. x
local function g
(
)
end
x = y
  [1]
  .z
  :m(1)
"
    ));
}

#[test]
fn table_constructor_lookahead_lines() {
    insta::assert_snapshot!(snap("t = { f\n(x), a\n.b, c\n= 1 }\n"));
}

#[test]
fn realistic_script() {
    insta::assert_snapshot!(snap(
        "local key, limit = KEYS[1], tonumber(ARGV[1])
local current = tonumber(redis.call('GET', key) or '0')
if current + 1 > limit then
  return redis.error_reply('rate limited')
end
redis.call('INCR', key)
redis.call('EXPIRE', key, 60)
local out = {}
for i, v in ipairs(ARGV) do
  out[#out + 1] = v:upper()
end
return out
"
    ));
}
