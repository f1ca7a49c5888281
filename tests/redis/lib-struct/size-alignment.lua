-- size with alignment
return {struct.size("!4bi"), struct.size("!8bd"), struct.size("!bd"), struct.size("bi")}
