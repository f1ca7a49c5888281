-- cjson's _NAME and _VERSION
return {cjson._NAME, cjson._VERSION}
