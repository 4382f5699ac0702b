//! A macro argument that should be a future, before it is known to be one.
//!
//! A wrong argument (`join!(a, 5)`, a `select!` branch `x = 42 => …`) should get one
//! error, at the argument, in rustc's own words ("`{integer}` is not a future"), and
//! nothing from the code that uses it afterwards. So the expansions never use the
//! argument's type directly. They write `checked(Argument(arg).__patience_child())`
//! (`__patience_try_child` for `try_join!`, `checked_branch(… .__patience_branch())`
//! for `select!`) with the traits of this module in scope, and method lookup picks:
//!
//! - for a future (anything `IntoFuture`): [`IntoChild`], [`IntoTryChild`] or
//!   [`IntoBranch`], on `Argument<T>`: the real child;
//! - for anything else: [`NotAFutureChild`], on `&Argument<T>` (one auto-reference
//!   further, so tried only when the first fails): a [`NotAFuture`], a stand-in that
//!   type-checks wherever a child or a branch future does, with whatever output the rest
//!   of the code expects.
//!
//! Only [`checked`] (or [`checked_branch`]) then fails for the stand-in, since its impl
//! requires the argument to be `IntoFuture`: that is the one error.

use core::future::{Future, IntoFuture};
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::join::{Child, Slot, TryChild, TryOutput};

/// A `join!`/`try_join!` argument or a `select!` branch future, before it is known to
/// be a future.
pub struct Argument<T>(pub T);

/// The `join!` child of an argument that is a future (see [`Argument`]).
pub trait IntoChild {
    /// The child.
    type Child;
    /// Makes the child.
    fn __patience_child(self) -> Self::Child;
}

impl<T: IntoFuture> IntoChild for Argument<T> {
    type Child = Slot<T::IntoFuture, T::Output>;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __patience_child(self) -> Self::Child {
        Slot::new(self.0.into_future())
    }
}

/// The `try_join!` child of an argument that is a future whose output is a `Result`.
pub trait IntoTryChild {
    /// The child.
    type Child;
    /// Makes the child.
    fn __patience_try_child(self) -> Self::Child;
}

impl<T> IntoTryChild for Argument<T>
where
    T: IntoFuture,
    T::Output: TryOutput,
{
    type Child = Slot<T::IntoFuture, <T::Output as TryOutput>::Ok>;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __patience_try_child(self) -> Self::Child {
        Slot::new(self.0.into_future())
    }
}

/// The future of a `select!` branch whose future expression is a future.
pub trait IntoBranch {
    /// The future, still to be checked.
    type Branch;
    /// Converts the argument.
    fn __patience_branch(self) -> Self::Branch;
}

impl<T: IntoFuture> IntoBranch for Argument<T> {
    type Branch = Real<T::IntoFuture>;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __patience_branch(self) -> Self::Branch {
        Real(self.0.into_future())
    }
}

/// A branch future that is a real future, on its way to [`checked_branch`].
pub struct Real<F>(F);

/// The child of any other argument (see [`Argument`]).
pub trait NotAFutureChild<T> {
    /// The stand-in `join!` child; `O` is whatever output the rest of the code expects.
    fn __patience_child<O>(self) -> NotAFuture<T, O>;
    /// The stand-in `try_join!` child.
    fn __patience_try_child<O, E>(self) -> NotATryFuture<T, O, E>;
    /// The stand-in `select!` branch future.
    fn __patience_branch<O>(self) -> NotAFuture<T, O>;
}

impl<T> NotAFutureChild<T> for &Argument<T> {
    fn __patience_child<O>(self) -> NotAFuture<T, O> {
        NotAFuture(PhantomData)
    }

    fn __patience_try_child<O, E>(self) -> NotATryFuture<T, O, E> {
        NotATryFuture(PhantomData)
    }

    fn __patience_branch<O>(self) -> NotAFuture<T, O> {
        NotAFuture(PhantomData)
    }
}

const NEVER_POLLED: &str = "a crate with an argument that is not a future does not compile";

/// The stand-in `join!` child or `select!` branch future of an argument that is not a
/// future: never polled, since the crate does not compile ([`checked`] fails for it).
pub struct NotAFuture<T, O>(PhantomData<Marker<T, O>>);

/// Owns neither type: the stand-ins are `Send`, `Sync` and `Unpin` whatever `T` is.
type Marker<T, O> = fn() -> (T, O);

impl<T, O> Future for NotAFuture<T, O> {
    type Output = O;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<O> {
        unreachable!("{NEVER_POLLED}")
    }
}

impl<T, O> Child for NotAFuture<T, O> {
    type Output = O;
    fn poll_child(self: Pin<&mut Self>, _: &mut Context<'_>) -> bool {
        unreachable!("{NEVER_POLLED}")
    }
    fn take(self: Pin<&mut Self>) -> O {
        unreachable!("{NEVER_POLLED}")
    }
}

/// The stand-in `try_join!` child of an argument that is not a future of a `Result`.
pub struct NotATryFuture<T, O, E>(PhantomData<Marker<T, (O, E)>>);

impl<T, O, E> TryChild for NotATryFuture<T, O, E> {
    type Ok = O;
    type Err = E;
    fn poll_try(self: Pin<&mut Self>, _: &mut Context<'_>) -> Result<bool, E> {
        unreachable!("{NEVER_POLLED}")
    }
    fn take(self: Pin<&mut Self>) -> O {
        unreachable!("{NEVER_POLLED}")
    }
}

/// Children of arguments that are futures (the only ones that compile).
pub trait Checked {}

impl<F, O> Checked for Slot<F, O> {}

/// Holds only if `T: IntoFuture`, which is false wherever a `NotAFuture` is made: this
/// is the one error a wrong argument gets, in rustc's words, at the argument.
impl<T: IntoFuture, O> Checked for NotAFuture<T, O> {}

/// Likewise: fails with "is not a future", or with [`TryOutput`]'s message.
impl<T, O, E> Checked for NotATryFuture<T, O, E>
where
    T: IntoFuture,
    T::Output: TryOutput,
{
}

/// The child, once it is known to be a real one.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn checked<C: Checked>(child: C) -> C {
    child
}

/// A checked `select!` branch future: the real one, or the stand-in (see [`Argument`]).
pub trait CheckedBranch {
    /// The future the select polls.
    type Future: Future;
    /// Unwraps it.
    fn future(self) -> Self::Future;
}

impl<F: Future> CheckedBranch for Real<F> {
    type Future = F;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn future(self) -> F {
        self.0
    }
}

/// Holds only if `T: IntoFuture`, false wherever the stand-in is made: the one error.
impl<T: IntoFuture, O> CheckedBranch for NotAFuture<T, O> {
    type Future = Self;
    fn future(self) -> Self {
        self
    }
}

/// The branch future, once it is known to be a real one.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn checked_branch<C: CheckedBranch>(branch: C) -> C::Future {
    branch.future()
}
