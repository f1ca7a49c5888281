-- an extra end
return 1
end
