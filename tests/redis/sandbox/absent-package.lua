-- package is absent
return package.loaded
