//! `to_value` / `from_value` (feature `serde`).
#![cfg(feature = "serde")]

use std::collections::BTreeMap;

use ferrous_lua::{Error, Lua, Table, Value};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Shape {
    Dot,
    Circle(f64),
    Rect { w: u32, h: u32 },
    Pair(i8, i8),
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Doc {
    name: String,
    tags: Vec<String>,
    empty: Vec<u8>,
    maybe: Option<i64>,
    holes: Vec<Option<u8>>,
    big: u64,
    neg: i64,
    ratio: f64,
    shapes: Vec<Shape>,
    map: BTreeMap<String, u16>,
}

fn doc() -> Doc {
    Doc {
        name: "x".into(),
        tags: vec!["a".into(), "b".into()],
        empty: vec![],
        maybe: None,
        holes: vec![Some(1), None, Some(3)],
        big: 1 << 53,
        neg: -(1 << 53),
        ratio: 0.1,
        shapes: vec![
            Shape::Dot,
            Shape::Circle(2.5),
            Shape::Rect { w: 3, h: 4 },
            Shape::Pair(-1, 1),
        ],
        map: [("k".to_string(), 7)].into(),
    }
}

#[test]
fn round_trip() {
    let mut lua = Lua::new();
    let v = lua.to_value(&doc()).unwrap();
    lua.set_global("doc", &v).unwrap();
    // Lua sees ordinary tables.
    let s: String = lua
        .load("return doc.name .. #doc.tags .. doc.shapes[2].Circle .. doc.shapes[1] .. #doc.holes")
        .eval()
        .unwrap();
    assert_eq!(s, "x22.5Dot3");
    let back: Doc = lua.from_value(v).unwrap();
    assert_eq!(back, doc());
}

#[test]
fn empty_vec_stays_an_array() {
    let mut lua = Lua::new();
    let v = lua.to_value(&Vec::<u8>::new()).unwrap();
    let t: Table = lua.unpack(v.clone()).unwrap();
    let am = lua.array_metatable().unwrap();
    assert!(t.get_metatable(&mut lua).unwrap().ptr_eq(&am));
    // An untyped reader sees a sequence.
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Any {
        Seq(Vec<u8>),
        Map(BTreeMap<String, u8>),
    }
    assert_eq!(lua.from_value::<Any>(v).unwrap(), Any::Seq(vec![]));
    let plain = Value::Table(lua.create_table().unwrap());
    assert_eq!(
        lua.from_value::<Any>(plain).unwrap(),
        Any::Map(BTreeMap::new())
    );
}

#[test]
fn numbers_never_lose_precision_silently() {
    let mut lua = Lua::new();
    assert!(matches!(lua.to_value(&u64::MAX), Err(Error::Serialize(_))));
    assert!(matches!(
        lua.to_value(&((1u64 << 53) + 1)),
        Err(Error::Serialize(_))
    ));
    let v = lua.to_value(&(1u64 << 63)).unwrap();
    assert_eq!(lua.from_value::<u64>(v).unwrap(), 1u64 << 63);
    let v = lua.to_value(&i64::MIN).unwrap();
    assert_eq!(lua.from_value::<i64>(v).unwrap(), i64::MIN);
    let v: Value = lua.load("return 2.5").eval().unwrap();
    assert!(lua.from_value::<i64>(v.clone()).is_err());
    assert_eq!(lua.from_value::<f64>(v).unwrap(), 2.5);
    let v: Value = lua.load("return 300").eval().unwrap();
    assert!(lua.from_value::<u8>(v).is_err());
}

#[test]
fn cycles_are_an_error() {
    let mut lua = Lua::new();
    let v: Value = lua.load("local t = {} t.t = t return t").eval().unwrap();
    #[derive(Deserialize, Debug)]
    struct Node {
        #[allow(dead_code)]
        t: Option<Box<Node>>,
    }
    assert!(matches!(
        lua.from_value::<Node>(v),
        Err(Error::Deserialize(_))
    ));
}
