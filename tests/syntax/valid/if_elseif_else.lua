if a then elseif b then elseif c then else end
