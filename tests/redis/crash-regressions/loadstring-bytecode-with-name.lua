-- bytecode with an explicit chunk name
return {select(2, loadstring(string.dump(function() end), "=named"))}
