local
function
f
(
)
end
