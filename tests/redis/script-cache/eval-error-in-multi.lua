-- a failing EVAL inside MULTI/EXEC does not abort the transaction
--! keys: k
--! cmd: MULTI
--! eval
--! cmd: SET k after
--! cmd: EXEC
error("inside exec")
