if a then b() elseif c then d() end
