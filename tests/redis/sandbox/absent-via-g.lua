-- reading a missing name through _G also raises
return _G.nosuchname
