-- replacing coroutine.wrap is refused
coroutine.wrap = nil
