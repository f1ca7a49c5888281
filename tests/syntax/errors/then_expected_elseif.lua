if x then elseif y end
