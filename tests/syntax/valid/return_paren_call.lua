return (f())
