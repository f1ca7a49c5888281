repeat local done = true until done
