-- _G refers to the global table itself
return {tostring(_G == _G._G), tostring(_G.string == string)}
