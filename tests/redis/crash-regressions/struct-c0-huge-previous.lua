-- struct: c0 after a huge previous number
return {pcall(struct.unpack, ">I4c0", "\127\255\255\255abc")}
