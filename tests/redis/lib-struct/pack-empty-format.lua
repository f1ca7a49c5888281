-- an empty format packs nothing
return {struct.pack(""), #struct.pack("")}
