-- rawget on _G bypasses the guard and gives nil
return {tostring(rawget(_G, "print")), tostring(rawget(_G, "os")), type(rawget(_G, "redis"))}
