-- nil becomes a null bulk string
return nil
