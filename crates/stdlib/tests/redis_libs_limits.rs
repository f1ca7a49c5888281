//! Ferrous-only behaviour of the Redis libraries: inputs that would make
//! Redis allocate without bound (or die) end in a clean Lua error under a
//! VM memory limit, the VM stays usable, and the encoders give back the
//! memory they charged.

use ferrous_vm::{ErrorKind, Value, Vm};

fn vm_with_libs() -> Vm {
    let mut vm = Vm::new();
    ferrous_stdlib::open_base(&mut vm).expect("base");
    ferrous_stdlib::open_string(&mut vm).expect("string");
    ferrous_stdlib::open_table(&mut vm).expect("table");
    ferrous_stdlib::open_cjson(&mut vm).expect("cjson");
    ferrous_stdlib::open_cmsgpack(&mut vm).expect("cmsgpack");
    ferrous_stdlib::open_struct(&mut vm).expect("struct");
    ferrous_stdlib::open_bit(&mut vm).expect("bit");
    vm
}

/// Runs `src`; Ok with its first result as text, or Err with the message.
fn run(vm: &mut Vm, src: &str) -> Result<String, (ErrorKind, String)> {
    let f = vm.load(src.as_bytes(), b"=t").expect("compiles");
    match vm.pcall(f, &[], None) {
        Ok(v) => {
            let v = v.first().copied().unwrap_or(Value::Nil);
            let s = vm.tostring(v).expect("tostring");
            match s {
                Value::String(s) => Ok(String::from_utf8_lossy(vm.str_bytes(s)).into_owned()),
                _ => Ok(String::new()),
            }
        }
        Err(e) => {
            let msg = match e.value {
                Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s)).into_owned(),
                _ => String::new(),
            };
            Err((e.kind, msg))
        }
    }
}

#[test]
fn huge_sparse_array_hits_the_memory_limit_cleanly() {
    let mut vm = vm_with_libs();
    vm.heap.set_memory_limit(Some(64 << 20));
    // With the sparse checks off, Redis would write 2^31 "null"s.
    let r = run(
        &mut vm,
        "cjson.encode_sparse_array(false, 0) return cjson.encode({[2^31-1] = 1})",
    );
    let (kind, msg) = r.expect_err("must fail");
    assert_eq!(kind, ErrorKind::Memory);
    assert_eq!(msg, "not enough memory");
    // The state is still usable, and the charge was given back.
    vm.full_gc().expect("gc");
    let r = run(&mut vm, "return cjson.encode({1, 2, {a = 'b'}})");
    assert_eq!(r.expect("works"), r#"[1,2,{"a":"b"}]"#);
    assert!(vm.heap.bytes_in_use() < 8 << 20, "encoder memory returned");
}

#[test]
fn pcall_catches_the_memory_error_in_scripts() {
    let mut vm = vm_with_libs();
    vm.heap.set_memory_limit(Some(64 << 20));
    let r = run(
        &mut vm,
        "cjson.encode_sparse_array(false, 0)
         local ok, e = pcall(cjson.encode, {[2^30] = 1})
         return tostring(ok) .. ' ' .. e",
    );
    assert_eq!(r.expect("pcall returns"), "false not enough memory");
}

#[test]
fn encoders_return_their_memory() {
    let mut vm = vm_with_libs();
    vm.full_gc().expect("gc");
    let before = vm.heap.bytes_in_use();
    let r = run(
        &mut vm,
        "local s = string.rep('\\1', 1000000)
         local a = #cjson.encode(s)
         local b = #cmsgpack.pack(s, s)
         local c = #struct.pack('c0c0', s, s)
         return a + b + c",
    );
    assert_eq!(r.expect("works"), "10000012");
    vm.full_gc().expect("gc");
    let after = vm.heap.bytes_in_use();
    assert!(
        after < before + (1 << 20),
        "memory not returned: {before} -> {after}"
    );
}

#[test]
fn deep_inputs_fail_without_deep_rust_recursion() {
    // A small thread stack: any recursion proportional to the nesting
    // would overflow it.
    let t = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let mut vm = vm_with_libs();
            let r = run(
                &mut vm,
                "cjson.decode_max_depth(1000000) cjson.encode_max_depth(1000000)
                 local ok1, e1 = pcall(cjson.decode, string.rep('[', 200000))
                 local t = {} for i = 1, 200000 do t = {t} end
                 local ok2, e2 = pcall(cjson.encode, t)
                 local ok3, e3 = pcall(cmsgpack.unpack, string.rep('\\145', 200000))
                 local ok4, e4 = pcall(cmsgpack.unpack, string.rep('\\129', 200000))
                 return e1 .. '|' .. e2 .. '|' .. e3 .. '|' .. e4",
            );
            r.expect("pcall returns")
        })
        .expect("thread");
    let out = t.join().expect("no stack overflow");
    assert_eq!(
        out,
        "Found too many nested data structures (7999) at character 7999|\
         Cannot serialise, excessive nesting (7998)|\
         stack overflow (in function mp_decode_to_lua_array)|\
         stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"
    );
}

#[test]
fn library_tables_and_globals() {
    let mut vm = vm_with_libs();
    let r = run(
        &mut vm,
        "return tostring(package == nil or package.loaded.cjson == nil) .. ' ' ..
                tostring(rawget(_G, 'cjson') ~= nil) .. ' ' .. type(cjson.null)",
    );
    assert_eq!(r.expect("works"), "true true userdata");
}
